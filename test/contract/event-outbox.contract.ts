// The EventOutbox contract: claimed once, retried, delivered, failed and redelivered.
import { beforeEach, describe, expect, it } from 'vitest';
import type { EventOutbox, OutboxEvent } from '../../src/ports/event-outbox.ts';

const T = Date.now();
const at = (s: number) => new Date(T + s * 1000);
export const anEvent = (n: number, overrides: Partial<OutboxEvent> = {}): OutboxEvent => ({
  id: `msg_${n.toString(16).padStart(32, '0')}`,
  type: 'verification.started',
  timestamp: at(n),
  data: { phoneTail: '…2671', country: 'US', channel: 'sms', provider: 'twilio' },
  serviceSid: `VA${'a'.repeat(32)}`,
  attempts: 0,
  nextAt: at(n),
  lastError: null,
  failedAt: null,
  ...overrides,
});

export function eventOutboxContract(name: string, harness: { fresh(): Promise<EventOutbox> }) {
  describe(`EventOutbox contract: ${name}`, () => {
    let outbox: EventOutbox;
    beforeEach(async () => {
      outbox = await harness.fresh();
    });

    it('claims what is due, oldest first, data and dates intact; not again while the claim holds', async () => {
      await outbox.add(anEvent(2));
      await outbox.add(anEvent(1));
      await outbox.add(anEvent(50));
      const claimed = await outbox.claim(at(10), 30_000, 10);
      expect(claimed.map((c) => c.event.id)).toEqual([anEvent(1).id, anEvent(2).id]);
      expect(claimed[0]!.event).toMatchObject({ ...anEvent(1), nextAt: at(40) });
      expect(await outbox.claim(at(20), 30_000, 10)).toEqual([]);
      // The claim lapses: an instance that died hands the event on.
      expect((await outbox.claim(at(41), 30_000, 10)).map((c) => c.event.id)).toContain(anEvent(1).id);
    });

    it('gives each event to one of 10 concurrent claimers', async () => {
      for (let i = 0; i < 20; i++) await outbox.add(anEvent(i));
      const claims = await Promise.all(Array.from({ length: 10 }, () => outbox.claim(at(100), 30_000, 20)));
      const ids = claims.flat().map((c) => c.event.id);
      expect(ids).toHaveLength(20);
      expect(new Set(ids).size).toBe(20);
    });

    it('retries at the time given with one more try counted, and removes a delivered event', async () => {
      await outbox.add(anEvent(1));
      const [first] = await outbox.claim(at(1), 30_000, 1);
      expect(await outbox.retry(first!.event.id, first!.token, at(60), 'HTTP 503')).toBe(true);
      expect(await outbox.claim(at(59), 30_000, 1)).toEqual([]);
      const [second] = await outbox.claim(at(60), 30_000, 1);
      expect(second!.event).toMatchObject({ attempts: 1, lastError: 'HTTP 503' });
      // The first claim's token no longer holds.
      expect(await outbox.delivered(first!.event.id, first!.token)).toBe(false);
      expect(await outbox.delivered(second!.event.id, second!.token)).toBe(true);
      expect(await outbox.claim(at(10_000), 30_000, 1)).toEqual([]);
    });

    it('keeps a failed event for the operator, and redelivers it once asked', async () => {
      await outbox.add(anEvent(1));
      const [claim] = await outbox.claim(at(1), 30_000, 1);
      expect(await outbox.fail(claim!.event.id, claim!.token, 'HTTP 500', at(2), new Date(T + 7 * 86_400_000))).toBe(
        true,
      );
      expect(await outbox.claim(at(100), 30_000, 1)).toEqual([]);
      const failed = await outbox.failed(10);
      expect(failed).toEqual([expect.objectContaining({ id: anEvent(1).id, lastError: 'HTTP 500', failedAt: at(2) })]);
      expect(await outbox.redeliver(anEvent(1).id, at(200))).toBe(true);
      expect(await outbox.redeliver(anEvent(1).id, at(200))).toBe(false);
      expect(await outbox.failed(10)).toEqual([]);
      const [again] = await outbox.claim(at(200), 30_000, 1);
      expect(again!.event).toMatchObject({ id: anEvent(1).id, attempts: 0, failedAt: null });
    });
  });
}
