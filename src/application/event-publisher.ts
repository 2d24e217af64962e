// Puts the lifecycle events an app hears of into the outbox, named by their verification's public id.
import type { VerificationEvent } from '../domain/events.ts';
import { randomId } from '../domain/random.ts';
import { webhookEventOf } from '../domain/webhooks/webhook-event.ts';
import type { AttemptStore } from '../ports/attempt-store.ts';
import type { Clock } from '../ports/clock.ts';
import type { EventOutbox } from '../ports/event-outbox.ts';
import type { EventSink } from '../ports/events.ts';

export interface EventPublisherDeps {
  readonly outbox: EventOutbox;
  readonly clock: Clock;
  /** Which services have an endpoint: the others' events are not kept. */
  readonly publishes: (serviceSid: string) => boolean;
  /** The verification's public id (`VE…`) from its number and creation time. */
  readonly verificationSid: (phone: string, createdAt: Date) => Promise<string>;
  /** Delivery receipts name a message: its attempt says which verification, phone tail and channel. */
  readonly attempts?: AttemptStore | undefined;
  /** Where the write goes: after the answer, in order with the attempts' records. */
  readonly enqueue: (task: () => Promise<unknown>) => void;
}

export function createEventPublisher(deps: EventPublisherDeps): EventSink {
  return {
    emit(event: VerificationEvent, subject) {
      const serviceSid = 'serviceSid' in event ? event.serviceSid : undefined;
      if (!serviceSid || !deps.publishes(serviceSid)) return;
      const webhook = webhookEventOf(event);
      if (!webhook) return;
      const now = deps.clock.now();
      deps.enqueue(async () => {
        let data: Record<string, unknown> = { ...webhook.data };
        if (subject) data.verificationSid = await deps.verificationSid(subject.phone, subject.createdAt);
        if (event.type === 'delivery' && event.messageId && deps.attempts) {
          const [attempt] = (await deps.attempts.list({ messageId: event.messageId }, { limit: 1 })).attempts;
          if (attempt) {
            data = {
              verificationSid: attempt.verificationSid,
              phoneTail: attempt.phoneTail,
              country: attempt.country,
              channel: attempt.channel,
              provider: attempt.provider,
              ...data,
            };
          }
        }
        await deps.outbox.add({
          id: `msg_${randomId()}`,
          type: webhook.type,
          timestamp: now,
          data: { serviceSid, ...data },
          serviceSid,
          attempts: 0,
          nextAt: now,
          lastError: null,
          failedAt: null,
        });
      });
    },
  };
}
