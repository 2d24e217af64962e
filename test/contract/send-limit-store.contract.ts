// The SendLimitStore contract: send limits decided exactly, all or nothing, under concurrency.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { QuotaLimit, WindowLimit } from '../../src/domain/limits/send-limit.ts';
import type { SendLimitStore } from '../../src/ports/send-limit-store.ts';
import { at, limitFields } from '../support/records.ts';
import { itIfPromised } from './declared.ts';

/** What a store declares it lacks, so the suite says so instead of forking (unstorage's driver suite does this). */
export interface SendLimitCapabilities {
  /**
   * All limits of one send are decided in one step, so a send that is then refused never holds
   * back a concurrent one. Stores built on the limit engine charge limit by limit and take charges
   * back on refusal: exact, but a concurrent send may be refused by a charge that is then refunded.
   */
  readonly atomicAcrossLimits: boolean;
}

export interface SendLimitStoreHarness {
  fresh(): Promise<SendLimitStore>;
  close?(): Promise<void>;
  readonly capabilities: SendLimitCapabilities;
  /** Cases only this store has, run inside the suite with a fresh store each. */
  additionalTests?(fresh: () => Promise<SendLimitStore>): void;
}

const windowLimit = (key: string, limit: number, windowSeconds: number, cooldownSeconds = 0): WindowLimit => ({
  kind: 'window',
  ...limitFields(key),
  limit,
  windowMs: windowSeconds * 1000,
  cooldownMs: cooldownSeconds * 1000,
});
const quota = (key: string, limit: number, resetAt: Date): QuotaLimit => ({
  kind: 'quota',
  ...limitFields(key),
  limit,
  resetAt,
});

let n = 0;
const charge = () => `charge-${++n}`;

export function sendLimitStoreContract(name: string, harness: SendLimitStoreHarness) {
  describe(`SendLimitStore contract: ${name}`, () => {
    let store: SendLimitStore;
    beforeEach(async () => {
      store = await harness.fresh();
    });
    afterAll(async () => {
      await harness.close?.();
    });

    it('admits up to the limit in a window, then says when the oldest send leaves it', async () => {
      const limit = windowLimit('phone:+1', 3, 3600);
      const remaining = [];
      for (const s of [0, 10, 20]) {
        const admission = await store.admit(charge(), [limit], at(s));
        expect(admission.admitted).toBe(true);
        remaining.push(admission.states[0]!.remaining);
      }
      expect(remaining).toEqual([2, 1, 0]);
      const refused = await store.admit(charge(), [limit], at(30));
      expect(refused).toEqual({ admitted: false, states: [{ key: 'phone:+1', remaining: 0, availableAt: at(3600) }] });
    });

    it('slides: a send leaves the window exactly windowMs after it was made', async () => {
      const limit = windowLimit('phone:+1', 2, 100);
      await store.admit(charge(), [limit], at(0));
      await store.admit(charge(), [limit], at(50));
      expect((await store.admit(charge(), [limit], at(99.999))).admitted).toBe(false);
      expect((await store.admit(charge(), [limit], at(100))).admitted).toBe(true);
      expect((await store.admit(charge(), [limit], at(120))).admitted).toBe(false);
      const later = await store.admit(charge(), [limit], at(150));
      expect(later.admitted).toBe(true);
      expect(later.states[0]).toEqual({ key: 'phone:+1', remaining: 0, availableAt: at(200) });
    });

    it('enforces the cooldown from the newest send', async () => {
      const limit = windowLimit('phone:+1', 5, 3600, 30);
      const first = await store.admit(charge(), [limit], at(0));
      expect(first.states[0]!.availableAt).toEqual(at(30));
      const early = await store.admit(charge(), [limit], at(29.999));
      expect(early).toEqual({ admitted: false, states: [{ key: 'phone:+1', remaining: 4, availableAt: at(30) }] });
      expect((await store.admit(charge(), [limit], at(30))).admitted).toBe(true);
    });

    it('holds nothing back without a cooldown, even behind a send stamped later by another process', async () => {
      const limit = windowLimit('phone:+1', 3, 3600, 0);
      expect((await store.admit(charge(), [limit], at(10))).admitted).toBe(true);
      expect((await store.admit(charge(), [limit], at(9.995))).admitted).toBe(true);
      const third = await store.admit(charge(), [limit], at(9.99));
      expect(third).toMatchObject({ admitted: true, states: [{ remaining: 0 }] });
    });

    it('charges all limits or none', async () => {
      const phone = windowLimit('phone:+1', 5, 3600);
      const ip = windowLimit('ip:203.0.113.7', 1, 3600);
      expect((await store.admit(charge(), [phone, ip], at(0))).admitted).toBe(true);
      const refused = await store.admit(charge(), [phone, ip], at(1));
      expect(refused.admitted).toBe(false);
      expect(refused.states.map((s) => s.remaining)).toEqual([4, 0]);
      const alone = await store.admit(charge(), [phone], at(2));
      expect(alone.states[0]!.remaining).toBe(3);
    });

    it('reports every refusing limit, not just the first, so the longest wait can be answered', async () => {
      const phone = windowLimit('phone:+1', 5, 3600, 30);
      const ip = windowLimit('ip:203.0.113.7', 1, 900);
      expect((await store.admit(charge(), [phone, ip], at(0))).admitted).toBe(true);
      expect(await store.admit(charge(), [phone, ip], at(5))).toEqual({
        admitted: false,
        states: [
          { key: 'phone:+1', remaining: 4, availableAt: at(30) },
          { key: 'ip:203.0.113.7', remaining: 0, availableAt: at(900) },
        ],
      });
    });

    it('returns one state per limit, in the order given', async () => {
      const limits = [windowLimit('a', 2, 60), windowLimit('b', 3, 60), quota('c', 4, at(86_400))];
      const admission = await store.admit(charge(), limits, at(0));
      expect(admission.states.map((s) => [s.key, s.remaining])).toEqual([
        ['a', 1],
        ['b', 2],
        ['c', 3],
      ]);
    });

    it('counts a quota to its limit and refuses until it resets', async () => {
      const day = quota('budget:2026-03-01', 2, at(43_200));
      expect((await store.admit(charge(), [day], at(0))).admitted).toBe(true);
      expect((await store.admit(charge(), [day], at(1))).admitted).toBe(true);
      expect(await store.admit(charge(), [day], at(2))).toEqual({
        admitted: false,
        states: [{ key: 'budget:2026-03-01', remaining: 0, availableAt: at(43_200) }],
      });
      const nextDay = quota('budget:2026-03-02', 2, at(129_600));
      expect((await store.admit(charge(), [nextDay], at(43_200))).admitted).toBe(true);
    });

    it('takes back a refunded charge: capacity and cooldown both return', async () => {
      const limit = windowLimit('phone:+1', 1, 3600, 30);
      const day = quota('budget:d', 1, at(86_400));
      const id = charge();
      expect((await store.admit(id, [limit, day], at(0))).admitted).toBe(true);
      expect((await store.admit(charge(), [limit, day], at(1))).admitted).toBe(false);
      await store.refund(id, [limit, day]);
      expect((await store.admit(charge(), [limit, day], at(1))).admitted).toBe(true);
    });

    it('refunds idempotently and ignores unknown charges', async () => {
      const limit = windowLimit('phone:+1', 2, 3600);
      const day = quota('budget:d', 2, at(86_400));
      const a = charge();
      await store.admit(a, [limit, day], at(0));
      await store.admit(charge(), [limit, day], at(1));
      await store.refund(a, [limit, day]);
      await store.refund(a, [limit, day]);
      await store.refund('never-charged', [limit, day]);
      expect((await store.admit(charge(), [limit, day], at(2))).admitted).toBe(true);
      expect((await store.admit(charge(), [limit, day], at(3))).admitted).toBe(false);
    });

    it('ignores unknown and repeated refunds on a quota alone', async () => {
      const day = quota('budget:q', 2, at(86_400));
      const a = charge();
      expect((await store.admit(a, [day], at(0))).admitted).toBe(true);
      expect((await store.admit(charge(), [day], at(1))).admitted).toBe(true);
      await store.refund('never-charged', [day]);
      expect(await store.admit(charge(), [day], at(2))).toMatchObject({ admitted: false, states: [{ remaining: 0 }] });
      await store.refund(a, [day]);
      await store.refund(a, [day]);
      expect(await store.admit(charge(), [day], at(3))).toMatchObject({ admitted: true, states: [{ remaining: 0 }] });
      expect((await store.admit(charge(), [day], at(4))).admitted).toBe(false);
    });

    itIfPromised(harness.capabilities.atomicAcrossLimits, 'it charges limit by limit (the limit engine)')(
      'never refuses a send because of a concurrent send that was itself refused',
      async () => {
        const shared = windowLimit('phone:+1', 1, 3600);
        const full = windowLimit('ip:203.0.113.7', 1, 3600);
        expect((await store.admit(charge(), [full], at(0))).admitted).toBe(true);
        const [doomed, alone] = await Promise.all([
          store.admit(charge(), [shared, full], at(1)),
          store.admit(charge(), [shared], at(1)),
        ]);
        expect([doomed.admitted, alone.admitted]).toEqual([false, true]);
      },
    );

    harness.additionalTests?.(() => harness.fresh());

    it('keeps keys apart', async () => {
      const a = windowLimit('phone:+1', 1, 3600);
      const b = windowLimit('phone:+2', 1, 3600);
      expect((await store.admit(charge(), [a], at(0))).admitted).toBe(true);
      expect((await store.admit(charge(), [b], at(0))).admitted).toBe(true);
      expect((await store.admit(charge(), [a], at(1))).admitted).toBe(false);
    });

    it('admits exactly the limit under 50 parallel sends', async () => {
      const limit = windowLimit('phone:+1', 5, 3600);
      const results = await Promise.all(Array.from({ length: 50 }, () => store.admit(charge(), [limit], at(0))));
      expect(results.filter((r) => r.admitted)).toHaveLength(5);
      expect((await store.admit(charge(), [limit], at(1))).admitted).toBe(false);
    });

    it('admits exactly a shared limit when 50 parallel sends cross it from different keys', async () => {
      const prefix = windowLimit('prefix:+1415555', 20, 3600);
      const day = quota('budget:d', 30, at(86_400));
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          store.admit(charge(), [windowLimit(`phone:+${i}`, 5, 3600), prefix, day], at(0)),
        ),
      );
      expect(results.filter((r) => r.admitted)).toHaveLength(20);
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
