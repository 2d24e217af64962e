// The FraudStore contract: windowed counts, exact under concurrency, and blocks as one conditional write.
import { beforeEach, describe, expect, it } from 'vitest';
import { windowSpan } from '../../src/domain/fraud/conversion.ts';
import type { FraudBlock } from '../../src/domain/fraud/fraud-block.ts';
import type { FraudStore } from '../../src/ports/fraud-store.ts';
import { at } from '../support/records.ts';

export interface FraudStoreHarness {
  fresh(): Promise<FraudStore>;
  /** Cases only this store has, run inside the suite with a fresh store each. */
  additionalTests?(fresh: () => Promise<FraudStore>): void;
}

const WINDOW = 86_400;
const HOUR = 3600;

export function fraudStoreContract(name: string, harness: FraudStoreHarness) {
  describe(`FraudStore contract: ${name}`, () => {
    let store: FraudStore;
    beforeEach(async () => {
      store = await harness.fresh();
    });
    const counted = (keys: string[], field: 'sends' | 'approvals', seconds: number, delta: 1 | -1 = 1) => {
      const span = windowSpan(WINDOW, at(seconds));
      return store.count({ keys, field, delta, bucket: span.bucket, from: span.from, expiresAt: span.expiresAt });
    };
    /** The window's totals alone. */
    const count = async (keys: string[], field: 'sends' | 'approvals', seconds: number, delta: 1 | -1 = 1) =>
      (await counted(keys, field, seconds, delta)).map(({ sends, approvals }) => ({ sends, approvals }));
    const aBlock = (seconds: number, overrides: Partial<FraudBlock> = {}): FraudBlock => ({
      prefix: '+141555',
      country: 'US',
      mode: 'block',
      since: at(seconds),
      until: at(seconds + 12 * HOUR),
      sends: 20,
      approvals: 0,
      ...overrides,
    });
    const keep = (block: FraudBlock) => new Date(block.until.getTime() + WINDOW * 1000);

    it('counts sends and approvals per key, returning each total with this change in it', async () => {
      expect(await count(['p', 'c'], 'sends', 0)).toEqual([
        { sends: 1, approvals: 0 },
        { sends: 1, approvals: 0 },
      ]);
      await count(['p', 'c'], 'sends', 10);
      expect(await count(['p', 'c'], 'approvals', 20)).toEqual([
        { sends: 2, approvals: 1 },
        { sends: 2, approvals: 1 },
      ]);
      expect(await count(['q', 'c'], 'sends', 30)).toEqual([
        { sends: 1, approvals: 0 },
        { sends: 3, approvals: 1 },
      ]);
    });

    it("returns the changed bucket's own counts beside the window's", async () => {
      await counted(['p'], 'sends', 0);
      await counted(['p'], 'approvals', 10);
      await counted(['p'], 'sends', 2 * HOUR);
      expect(await counted(['p'], 'sends', 2 * HOUR + 5)).toEqual([
        { sends: 3, approvals: 1, current: { sends: 2, approvals: 0 } },
      ]);
      expect(await counted(['p'], 'approvals', 2 * HOUR + 6, 1)).toEqual([
        { sends: 3, approvals: 2, current: { sends: 2, approvals: 1 } },
      ]);
    });

    it('reads several blocks in one call, in the order asked, null where there is none', async () => {
      await store.block(aBlock(0), at(0), keep(aBlock(0)));
      await store.block(aBlock(0, { prefix: 'US' }), at(0), keep(aBlock(0)));
      const found = await store.blocksOf(['US', '+999', '+141555']);
      expect(found.map((b) => b?.prefix ?? null)).toEqual(['US', null, '+141555']);
      expect(found[2]).toEqual(aBlock(0));
    });

    it('takes a send back with delta -1', async () => {
      await count(['p'], 'sends', 0);
      await count(['p'], 'sends', 1);
      expect(await count(['p'], 'sends', 2, -1)).toEqual([{ sends: 1, approvals: 0 }]);
    });

    it('sums the buckets still in the window, across bucket boundaries, and drops those that left it', async () => {
      await count(['p'], 'sends', 0);
      await count(['p'], 'sends', 5 * HOUR);
      expect(await count(['p'], 'approvals', 10 * HOUR)).toEqual([{ sends: 2, approvals: 1 }]);
      // A day after the first send its bucket has left the window; the others have not.
      expect(await count(['p'], 'sends', WINDOW + HOUR)).toEqual([{ sends: 2, approvals: 1 }]);
      expect(await count(['p'], 'sends', 3 * WINDOW)).toEqual([{ sends: 1, approvals: 0 }]);
    });

    it('gives each of 50 parallel sends to one key its own total', async () => {
      const totals = await Promise.all(Array.from({ length: 50 }, () => count(['p', 'c'], 'sends', 0)));
      expect(totals.map(([prefix]) => prefix!.sends).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
      expect(await count(['p', 'c'], 'approvals', 1)).toEqual([
        { sends: 50, approvals: 1 },
        { sends: 50, approvals: 1 },
      ]);
    });

    it('records a block once, keeps it while it runs, and records a new one after it ended', async () => {
      expect(await store.blockOf('+141555')).toBeNull();
      const first = aBlock(0);
      expect(await store.block(first, at(0), keep(first))).toBe(true);
      expect(await store.block(aBlock(60, { sends: 99 }), at(60), keep(first))).toBe(false);
      expect(await store.blockOf('+141555')).toEqual(first);
      const second = aBlock(13 * HOUR, { sends: 30, approvals: 1, mode: 'monitor' });
      expect(await store.block(second, at(13 * HOUR), keep(second))).toBe(true);
      expect(await store.blockOf('+141555')).toEqual(second);
    });

    it('records exactly one of 20 parallel blocks of one prefix', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.block(aBlock(0, { sends: 20 + i }), at(0), keep(aBlock(0)))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('lists running blocks newest first, and lifts one early', async () => {
      const older = aBlock(0, { prefix: '+447911', country: 'GB' });
      const newer = aBlock(60);
      const ended = aBlock(-13 * HOUR, { prefix: '+4915112' });
      for (const b of [older, newer, ended]) await store.block(b, b.since, keep(b));
      expect(await store.activeBlocks(at(120))).toEqual([newer, older]);

      expect(await store.lift('+447911', at(180))).toEqual(older);
      expect(await store.lift('+447911', at(181))).toBeNull();
      expect(await store.lift('+4915112', at(181))).toBeNull();
      expect(await store.activeBlocks(at(200))).toEqual([newer]);
      // The lifted block is kept, ended when it was lifted: its end restarts the prefix's counts.
      expect(await store.blockOf('+447911')).toEqual({ ...older, until: at(180) });
      const again = aBlock(300, { prefix: '+447911', country: 'GB' });
      expect(await store.block(again, at(300), keep(again))).toBe(true);
    });

    harness.additionalTests?.(() => harness.fresh());
  });
}
