// The LimitLedger contract: one key at a time, atomic for that key, so the limit engine stays exact.
import { beforeEach, describe, expect, it } from 'vitest';
import type { QuotaLimit, WindowLimit } from '../../src/domain/limits/send-limit.ts';
import type { LimitLedger } from '../../src/ports/limit-ledger.ts';
import { at, limitFields } from '../support/records.ts';

export interface LimitLedgerHarness {
  fresh(): Promise<LimitLedger>;
  /** Cases only this ledger has, run inside the suite. */
  additionalTests?(fresh: () => Promise<LimitLedger>): void;
}

const window = (key: string, limit: number, windowSeconds = 3600, cooldownSeconds = 0): WindowLimit => ({
  kind: 'window',
  ...limitFields(key),
  limit,
  windowMs: windowSeconds * 1000,
  cooldownMs: cooldownSeconds * 1000,
});
const quota = (key: string, limit: number): QuotaLimit => ({
  kind: 'quota',
  ...limitFields(key),
  limit,
  resetAt: at(86_400),
});

let n = 0;
const id = () => `ledger-charge-${++n}-${Math.random().toString(16).slice(2)}`;

export function limitLedgerContract(name: string, harness: LimitLedgerHarness) {
  describe(`LimitLedger contract: ${name}`, () => {
    let ledger: LimitLedger;
    let k = 0;
    // Keys of their own per case: a server-backed ledger may share its collection across cases.
    const key = (what: string) => `${what}:${name}:${++k}:${Math.random().toString(16).slice(2)}`;
    beforeEach(async () => {
      ledger = await harness.fresh();
    });

    it('reads every limit in the order given; a key never charged admits its whole limit', async () => {
      const limits = [window(key('phone'), 5), quota(key('budget'), 3), window(key('ip'), 2)];
      const snapshots = await ledger.read(limits, at(0));
      expect(snapshots.map((s) => s.limit)).toEqual(limits);
      expect(snapshots.map((s) => s.state.remaining)).toEqual([5, 3, 2]);
    });

    it('charges a window key and counts it down; a charge leaves the window after windowMs', async () => {
      const limit = window(key('phone'), 2, 60);
      const [first] = await ledger.read([limit], at(0));
      expect(await ledger.charge(id(), first!, at(0))).toMatchObject({ charged: true, state: { remaining: 1 } });
      const [second] = await ledger.read([limit], at(1));
      expect(second!.state.remaining).toBe(1);
      expect(await ledger.charge(id(), second!, at(1))).toMatchObject({ charged: true, state: { remaining: 0 } });
      expect((await ledger.read([limit], at(2)))[0]!.state.remaining).toBe(0);
      expect((await ledger.read([limit], at(61)))[0]!.state.remaining).toBe(2);
    });

    it('keeps the cooldown: availableAt is the last charge plus cooldownMs', async () => {
      const limit = window(key('phone'), 5, 3600, 30);
      const [snapshot] = await ledger.read([limit], at(0));
      await ledger.charge(id(), snapshot!, at(0));
      const [after] = await ledger.read([limit], at(10));
      expect(after!.state.availableAt).toEqual(at(30));
    });

    it('never charges a window key from a snapshot the key has moved past, when the key is full', async () => {
      const limit = window(key('phone'), 1);
      const [seen] = await ledger.read([limit], at(0));
      expect((await ledger.charge(id(), seen!, at(0))).charged).toBe(true);
      const stale = await ledger.charge(id(), seen!, at(0));
      expect(stale).toMatchObject({ charged: false, snapshot: { state: { remaining: 0 } } });
    });

    it('charges a quota up to its limit and no further', async () => {
      const limit = quota(key('budget'), 2);
      const results = [];
      for (let i = 0; i < 3; i++) {
        const [snapshot] = await ledger.read([limit], at(i));
        results.push((await ledger.charge(id(), snapshot!, at(i))).charged);
      }
      expect(results).toEqual([true, true, false]);
    });

    it('takes a charge back once; an unknown id changes nothing', async () => {
      for (const limit of [window(key('phone'), 3), quota(key('budget'), 3)]) {
        const charge = id();
        const [snapshot] = await ledger.read([limit], at(0));
        await ledger.charge(charge, snapshot!, at(0));
        await ledger.uncharge('never-charged', limit);
        expect((await ledger.read([limit], at(1)))[0]!.state.remaining).toBe(2);
        await ledger.uncharge(charge, limit);
        await ledger.uncharge(charge, limit);
        expect((await ledger.read([limit], at(1)))[0]!.state.remaining).toBe(3);
      }
    });

    it('never charges past the limit when 30 charges race from one snapshot', async () => {
      for (const limit of [window(key('phone'), 5), quota(key('budget'), 5)]) {
        const [snapshot] = await ledger.read([limit], at(0));
        const results = await Promise.all(Array.from({ length: 30 }, () => ledger.charge(id(), snapshot!, at(0))));
        const charged = results.filter((r) => r.charged).length;
        expect(charged).toBeGreaterThanOrEqual(1);
        expect(charged).toBeLessThanOrEqual(5);
        expect((await ledger.read([limit], at(0)))[0]!.state.remaining).toBe(5 - charged);
      }
    });

    it('answers ping', async () => {
      await expect(ledger.ping()).resolves.toBeUndefined();
    });

    harness.additionalTests?.(() => harness.fresh());
  });
}
