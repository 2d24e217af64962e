// Test SmsSender: keeps every message and answers whatever outcome it is told to.
import type { SmsMessage, SmsOutcome, SmsSender } from '../../ports/sms-sender.ts';

export interface RecordingSender extends SmsSender {
  readonly sent: SmsMessage[];
  /** The code in the last message to `to` (the first run of 4 to 10 digits after "code"). */
  lastCode(to: string): string | undefined;
  /** Answers `outcome` to the next `times` sends instead of accepting them. */
  failNext(outcome: Exclude<SmsOutcome, { ok: true }>, times?: number): void;
}

export function createRecordingSender(): RecordingSender {
  const sent: SmsMessage[] = [];
  const failures: Exclude<SmsOutcome, { ok: true }>[] = [];
  let counter = 0;
  return {
    sent,
    async send(message) {
      const failure = failures.shift();
      if (failure) return failure;
      sent.push(message);
      counter += 1;
      return { ok: true, messageId: `SM${String(counter).padStart(32, '0')}` };
    },
    lastCode(to) {
      const last = sent.filter((m) => m.to === to).at(-1);
      return last?.text.match(/\b(\d{4,10})\b/)?.[1];
    },
    failNext(outcome, times = 1) {
      for (let i = 0; i < times; i++) failures.push(outcome);
    },
  };
}
