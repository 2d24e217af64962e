// The AttemptStore contract: recording, delivery and conversion, paging and summaries with known answers.
import { beforeEach, describe, expect, it } from 'vitest';
import type { AttemptRecord } from '../../src/domain/attempts/attempt.ts';
import type { AttemptStore } from '../../src/ports/attempt-store.ts';

export interface AttemptStoreHarness {
  /** A store with no attempts, keeping them 30 days from now. */
  fresh(): Promise<AttemptStore>;
}

/** An hour ago, so that no retention (30 days) or TTL monitor removes the data set mid-test. */
const BASE = Date.now() - 3_600_000;
const at = (seconds: number) => new Date(BASE + seconds * 1000);
const hex = (n: number) => n.toString(16).padStart(32, '0');

export function anAttempt(n: number, overrides: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    sid: `VL${hex(n)}`,
    verificationId: `v${n}`,
    verificationSid: `VE${hex(n)}`,
    serviceSid: `VA${'a'.repeat(32)}`,
    channel: 'sms',
    provider: 'twilio',
    country: 'US',
    prefix: '+141555',
    phoneTail: String(1000 + n).slice(-4),
    messageId: `SM${hex(n)}`,
    deliveryStatus: 'queued',
    converted: false,
    createdAt: at(n),
    updatedAt: at(n),
    ...overrides,
  };
}

/**
 * Twelve attempts with known totals: US 6 (4 converted), GB 4 (1), IN 2 (0); by channel sms 7 (4),
 * call 3 (1), whatsapp 2 (0); by provider twilio 8 (4), vonage 4 (1); service B has attempts 10-11.
 */
export const SEEDED: readonly AttemptRecord[] = [
  anAttempt(0, { converted: true }),
  anAttempt(1, { converted: true }),
  anAttempt(2, { converted: true, channel: 'call' }),
  anAttempt(3, { converted: true, provider: 'vonage' }),
  anAttempt(4, { channel: 'whatsapp' }),
  anAttempt(5, { provider: 'vonage' }),
  anAttempt(6, { country: 'GB', prefix: '+447911', converted: false, channel: 'call' }),
  anAttempt(7, { country: 'GB', prefix: '+447911', converted: true, channel: 'call', provider: 'vonage' }),
  anAttempt(8, { country: 'GB', prefix: '+447911', channel: 'sms' }),
  anAttempt(9, { country: 'GB', prefix: '+447911', channel: 'whatsapp', provider: 'vonage' }),
  anAttempt(10, { country: 'IN', prefix: '+919876', serviceSid: `VA${'b'.repeat(32)}` }),
  anAttempt(11, { country: 'IN', prefix: '+919876', serviceSid: `VA${'b'.repeat(32)}` }),
].map((a) => ({ ...a, converted: a.converted ?? false }));

export function attemptStoreContract(name: string, harness: AttemptStoreHarness) {
  describe(`AttemptStore contract: ${name}`, () => {
    let store: AttemptStore;
    beforeEach(async () => {
      store = await harness.fresh();
    });
    const seed = async () => {
      for (const a of SEEDED) await store.add(a);
    };

    it('returns what was added, dates included, and null for an unknown sid', async () => {
      const a = anAttempt(1, { createdAt: new Date(BASE + 123) });
      await store.add(a);
      expect(await store.get(a.sid)).toEqual(a);
      expect(await store.get(`VL${'f'.repeat(32)}`)).toBeNull();
    });

    it('lists newest first, page by page, every attempt once', async () => {
      await seed();
      const seen: string[] = [];
      let after: string | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page = await store.list({}, { limit: 5, ...(after ? { after } : {}) });
        seen.push(...page.attempts.map((a) => a.sid));
        if (!page.next) break;
        after = page.next;
      }
      expect(seen).toEqual([...SEEDED].reverse().map((a) => a.sid));
    });

    it('pages exactly through attempts made in the same millisecond', async () => {
      for (let i = 0; i < 7; i++) await store.add(anAttempt(i, { createdAt: at(0) }));
      const first = await store.list({}, { limit: 4 });
      const second = await store.list({}, { limit: 4, after: first.next! });
      expect([...first.attempts, ...second.attempts].map((a) => a.sid)).toEqual(
        [6, 5, 4, 3, 2, 1, 0].map((n) => `VL${hex(n)}`),
      );
      expect(second.next).toBeNull();
    });

    it('filters by service, country, channel, provider and time', async () => {
      await seed();
      const sids = async (filter: Parameters<AttemptStore['list']>[0]) =>
        (await store.list(filter, { limit: 100 })).attempts
          .map((a) => Number.parseInt(a.sid.slice(2), 16))
          .sort((a, b) => a - b);
      expect(await sids({ serviceSid: `VA${'b'.repeat(32)}` })).toEqual([10, 11]);
      expect(await sids({ country: 'GB' })).toEqual([6, 7, 8, 9]);
      expect(await sids({ channel: 'call' })).toEqual([2, 6, 7]);
      expect(await sids({ provider: 'vonage', country: 'GB' })).toEqual([7, 9]);
      expect(await sids({ from: at(3), to: at(6) })).toEqual([3, 4, 5]);
      expect(await sids({ verificationSid: `VE${hex(4)}` })).toEqual([4]);
      expect(await sids({ converted: true })).toEqual([0, 1, 2, 3, 7]);
    });

    it('totals and groups with the known answers of the data set', async () => {
      await seed();
      expect(await store.summary({})).toEqual({ totalAttempts: 12, converted: 5, unconverted: 7 });
      const byCountry = await store.summary({}, 'country');
      expect(byCountry.groups).toEqual([
        { key: 'US', totalAttempts: 6, converted: 4, unconverted: 2 },
        { key: 'GB', totalAttempts: 4, converted: 1, unconverted: 3 },
        { key: 'IN', totalAttempts: 2, converted: 0, unconverted: 2 },
      ]);
      expect((await store.summary({}, 'channel')).groups).toEqual([
        { key: 'sms', totalAttempts: 7, converted: 3, unconverted: 4 },
        { key: 'call', totalAttempts: 3, converted: 2, unconverted: 1 },
        { key: 'whatsapp', totalAttempts: 2, converted: 0, unconverted: 2 },
      ]);
      expect((await store.summary({ country: 'US' }, 'provider')).groups).toEqual([
        { key: 'twilio', totalAttempts: 4, converted: 3, unconverted: 1 },
        { key: 'vonage', totalAttempts: 2, converted: 1, unconverted: 1 },
      ]);
      expect((await store.summary({ from: at(6) }, 'prefix')).groups).toEqual([
        { key: '+447911', totalAttempts: 4, converted: 1, unconverted: 3 },
        { key: '+919876', totalAttempts: 2, converted: 0, unconverted: 2 },
      ]);
    });

    it('moves a delivery forward only, by the message id', async () => {
      const a = anAttempt(1);
      await store.add(a);
      expect(await store.recordDelivery(a.messageId!, 'delivered', at(5))).toBe(true);
      expect(await store.recordDelivery(a.messageId!, 'sent', at(6))).toBe(false);
      expect(await store.recordDelivery('SM-unknown', 'delivered', at(6))).toBe(false);
      expect(await store.get(a.sid)).toMatchObject({ deliveryStatus: 'delivered', updatedAt: at(5) });
    });

    it('marks every attempt of a verification converted, once', async () => {
      await store.add(anAttempt(1, { verificationId: 'v-x' }));
      await store.add(anAttempt(2, { verificationId: 'v-x', channel: 'call' }));
      await store.add(anAttempt(3, { verificationId: 'v-y' }));
      expect(await store.markConverted('v-x', at(9))).toBe(2);
      expect(await store.markConverted('v-x', at(10))).toBe(0);
      expect((await store.list({ converted: true }, { limit: 10 })).attempts.map((a) => a.verificationId)).toEqual([
        'v-x',
        'v-x',
      ]);
      expect(await store.get(`VL${hex(2)}`)).toMatchObject({ converted: true, updatedAt: at(9) });
    });
  });
}
