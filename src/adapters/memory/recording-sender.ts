// Test MessageSender: keeps every message and answers whatever outcome it is told to.
import { CHANNELS } from '../../domain/verification/channel.ts';
import type { MessageSender, OutgoingMessage, SendOutcome } from '../../ports/message-sender.ts';

export interface RecordingSender extends MessageSender {
  readonly sent: OutgoingMessage[];
  /** The code in the last message to `to` (the first run of 4 to 10 digits after "code"). */
  lastCode(to: string): string | undefined;
  /** Answers `outcome` to the next `times` sends instead of accepting them. */
  failNext(outcome: Omit<Extract<SendOutcome, { ok: false }>, 'provider'>, times?: number): void;
}

export function createRecordingSender(): RecordingSender {
  const sent: OutgoingMessage[] = [];
  const failures: Omit<Extract<SendOutcome, { ok: false }>, 'provider'>[] = [];
  let counter = 0;
  return {
    provider: 'recording',
    channels: CHANNELS,
    sent,
    async send(message) {
      const failure = failures.shift();
      if (failure) return { ...failure, provider: 'recording' };
      sent.push(message);
      counter += 1;
      return { ok: true, provider: 'recording', messageId: `SM${String(counter).padStart(32, '0')}` };
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
