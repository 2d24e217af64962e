// The SafeListStore contract: add once (the first entry stands), read, remove, list oldest first.
import { beforeEach, describe, expect, it } from 'vitest';
import type { SafeListEntry, SafeListStore } from '../../src/ports/safe-list-store.ts';

const entry = (n: number, phoneNumber: string): SafeListEntry => ({
  sid: `GN${n.toString(16).padStart(32, '0')}`,
  phoneNumber,
  createdAt: new Date(Date.UTC(2026, 2, 1, 12, 0, n)),
});

export function safeListStoreContract(name: string, harness: { fresh(): Promise<SafeListStore> }) {
  describe(`SafeListStore contract: ${name}`, () => {
    let store: SafeListStore;
    beforeEach(async () => {
      store = await harness.fresh();
    });

    it('adds an entry once: adding the number again answers the first entry', async () => {
      const first = entry(1, '+14155552671');
      expect(await store.add(first)).toEqual(first);
      expect(await store.add(entry(2, '+14155552671'))).toEqual(first);
      expect(await store.get('+14155552671')).toEqual(first);
      expect(await store.get('+14155552672')).toBeNull();
    });

    it('keeps prefixes and numbers apart, lists oldest first, and removes one', async () => {
      await store.add(entry(3, '+4420*'));
      await store.add(entry(1, '+14155552671'));
      await store.add(entry(2, '+442079460000'));
      expect((await store.list()).map((e) => e.phoneNumber)).toEqual(['+14155552671', '+442079460000', '+4420*']);
      expect(await store.remove('+4420*')).toBe(true);
      expect(await store.remove('+4420*')).toBe(false);
      expect((await store.list()).map((e) => e.phoneNumber)).toEqual(['+14155552671', '+442079460000']);
    });

    it('has one entry when 20 requests add the same number at once', async () => {
      const added = await Promise.all(Array.from({ length: 20 }, (_, i) => store.add(entry(i, '+14155550000'))));
      expect(new Set(added.map((e) => e.sid)).size).toBe(1);
      expect(await store.list()).toHaveLength(1);
    });
  });
}
