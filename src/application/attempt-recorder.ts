// Keeps the attempts store in step with the use cases' events: a record per message a provider
// took, its delivery as receipts arrive, and its conversion when the code is approved.
import { randomId } from '../domain/random.ts';
import type { AttemptStore } from '../ports/attempt-store.ts';
import type { Clock } from '../ports/clock.ts';
import type { EventSink } from '../ports/events.ts';

export interface AttemptRecorderDeps {
  readonly attempts: AttemptStore;
  readonly clock: Clock;
  /** The verification's public id (`VE…`) from its number and creation time. */
  readonly verificationSid: (phone: string, createdAt: Date) => Promise<string>;
  /** Where the write goes: after the answer, in order (a background queue). */
  readonly enqueue: (task: () => Promise<unknown>) => void;
}

/** Writes in the background and in order: a send's record goes in before its receipt's update. */
export function createAttemptRecorder(deps: AttemptRecorderDeps): EventSink {
  return {
    emit(event, subject) {
      const now = deps.clock.now();
      if (event.type === 'sent' && subject && event.verificationId && event.serviceSid) {
        const { verificationId, serviceSid } = event;
        deps.enqueue(async () =>
          deps.attempts.add({
            sid: `VL${randomId()}`,
            verificationId,
            verificationSid: await deps.verificationSid(subject.phone, subject.createdAt),
            serviceSid,
            channel: event.channel,
            provider: event.provider,
            country: event.country ?? null,
            prefix: event.prefix ?? '',
            phoneTail: event.phoneTail,
            messageId: event.messageId ?? null,
            deliveryStatus: event.messageId ? 'queued' : null,
            converted: false,
            createdAt: now,
            updatedAt: now,
          }),
        );
      } else if (event.type === 'delivery' && event.messageId) {
        const { messageId, deliveryStatus } = event;
        deps.enqueue(() => deps.attempts.recordDelivery(messageId, deliveryStatus, now));
      } else if (event.type === 'approved' && event.verificationId) {
        const { verificationId } = event;
        deps.enqueue(() => deps.attempts.markConverted(verificationId, now));
      }
    },
  };
}
