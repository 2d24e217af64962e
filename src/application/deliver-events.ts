// The delivery loop's pass: claim what is due, send each, and settle it (gone, retried or given up).
import { retryDelayMs, WEBHOOK_RETRY_MS } from '../domain/webhooks/webhook-event.ts';
import type { Clock } from '../ports/clock.ts';
import type { EventEndpoint } from '../ports/event-endpoint.ts';
import type { EventOutbox, OutboxEvent } from '../ports/event-outbox.ts';

export interface DeliverEventsDeps {
  readonly outbox: EventOutbox;
  /** The endpoint of a service, or null when it has none (its events are then given up). */
  readonly endpointFor: (serviceSid: string) => EventEndpoint | null;
  readonly clock: Clock;
  /** In [0, 1): the jitter of each retry's wait. */
  readonly random?: () => number;
  readonly onGivenUp: (event: OutboxEvent, error: string) => void;
  /** How long a claim holds: longer than a delivery's timeout. */
  readonly leaseMs?: number;
  readonly batch?: number;
}

/** How long a given-up event is kept for GET /v1/events/failed. */
export const FAILED_KEEP_MS = 7 * 86_400_000;

/**
 * One pass: each claimed event is sent once. A 2xx removes it; anything else schedules the next
 * try (5 s doubling to an hour, with jitter), until a day after the event, when it is given up
 * and kept a week for the operator. Deliveries of a pass run side by side; the pass resolves
 * when all have settled, with how many it claimed and how many were delivered.
 */
export async function deliverDueEvents(deps: DeliverEventsDeps): Promise<{ claimed: number; delivered: number }> {
  const now = deps.clock.now();
  const claimed = await deps.outbox.claim(now, deps.leaseMs ?? 60_000, deps.batch ?? 100);
  const random = deps.random ?? Math.random;
  const results = await Promise.all(
    claimed.map(async ({ event, token }) => {
      const endpoint = deps.endpointFor(event.serviceSid);
      const answer = endpoint ? await endpoint.send(event) : { ok: false as const, error: 'no endpoint' };
      if (answer.ok) return deps.outbox.delivered(event.id, token);
      const at = deps.clock.now();
      const next = new Date(at.getTime() + retryDelayMs(event.attempts, random()));
      if (!endpoint || next.getTime() > event.timestamp.getTime() + WEBHOOK_RETRY_MS) {
        if (await deps.outbox.fail(event.id, token, answer.error, at, new Date(at.getTime() + FAILED_KEEP_MS)))
          deps.onGivenUp(event, answer.error);
        return false;
      }
      await deps.outbox.retry(event.id, token, next, answer.error);
      return false;
    }),
  );
  return { claimed: claimed.length, delivered: results.filter(Boolean).length };
}
