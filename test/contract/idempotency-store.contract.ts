// The IdempotencyStore contract: claims, replays, mismatches, expiry and takeover, run against every adapter.
import { beforeEach, describe, expect, it } from 'vitest';
import type { IdempotencyStore, StoredResponse } from '../../src/ports/idempotency-store.ts';
import { at } from '../support/records.ts';

export interface IdempotencyStoreHarness {
  fresh(): Promise<IdempotencyStore>;
  /** Cases only this store has, run inside the suite with a fresh store each. */
  additionalTests?(fresh: () => Promise<IdempotencyStore>): void;
}

const DAY = 86_400_000;
const LEASE = 120_000;
const answer: StoredResponse = {
  status: 201,
  contentType: 'application/json',
  body: '{"status":"pending"}',
  headers: { Location: '/v1/verifications/%2B14155552671' },
};

export function idempotencyStoreContract(name: string, harness: IdempotencyStoreHarness) {
  describe(`IdempotencyStore contract: ${name}`, () => {
    let store: IdempotencyStore;
    beforeEach(async () => {
      store = await harness.fresh();
    });
    const claim = (key: string, fingerprint: string, seconds: number) =>
      store.claim(key, fingerprint, at(seconds), DAY, LEASE);

    it('claims a new key, then answers in_progress for the same body and mismatch for another', async () => {
      expect(await claim('k', 'body-a', 0)).toMatchObject({ outcome: 'claimed', token: expect.any(String) });
      expect(await claim('k', 'body-a', 1)).toEqual({ outcome: 'in_progress' });
      expect(await claim('k', 'body-b', 1)).toEqual({ outcome: 'mismatch' });
    });

    it('replays the completed answer for the same body until the claim expires, then claims afresh', async () => {
      const first = await claim('k', 'body-a', 0);
      if (first.outcome !== 'claimed') throw new Error('not claimed');
      await store.complete('k', first.token, answer);
      expect(await claim('k', 'body-a', 3600)).toEqual({ outcome: 'replay', response: answer });
      expect(await claim('k', 'body-b', 3600)).toEqual({ outcome: 'mismatch' });
      expect(await claim('k', 'body-b', DAY / 1000)).toMatchObject({ outcome: 'claimed' });
    });

    it('gives a released key to the next claim; a release or completion by another token changes nothing', async () => {
      const first = await claim('k', 'body-a', 0);
      if (first.outcome !== 'claimed') throw new Error('not claimed');
      await store.release('k', 'not-the-owner');
      await store.complete('k', 'not-the-owner', answer);
      expect(await claim('k', 'body-a', 1)).toEqual({ outcome: 'in_progress' });
      await store.release('k', first.token);
      expect(await claim('k', 'body-b', 2)).toMatchObject({ outcome: 'claimed' });
    });

    it('lets a claim whose owner never finished be taken over after the lease, and the old owner loses it', async () => {
      const first = await claim('k', 'body-a', 0);
      if (first.outcome !== 'claimed') throw new Error('not claimed');
      const second = await claim('k', 'body-a', LEASE / 1000 + 1);
      expect(second).toMatchObject({ outcome: 'claimed' });
      await store.complete('k', first.token, { ...answer, body: 'stale' });
      if (second.outcome !== 'claimed') throw new Error('not claimed');
      await store.complete('k', second.token, answer);
      expect(await claim('k', 'body-a', LEASE / 1000 + 2)).toEqual({ outcome: 'replay', response: answer });
    });

    it('keeps keys apart', async () => {
      expect(await claim('k1', 'body-a', 0)).toMatchObject({ outcome: 'claimed' });
      expect(await claim('k2', 'body-a', 0)).toMatchObject({ outcome: 'claimed' });
    });

    it('gives a key to exactly one of 50 parallel claims', async () => {
      const claims = await Promise.all(Array.from({ length: 50 }, () => claim('k', 'body-a', 0)));
      expect(claims.filter((c) => c.outcome === 'claimed')).toHaveLength(1);
      expect(claims.filter((c) => c.outcome === 'in_progress')).toHaveLength(49);
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    harness.additionalTests?.(() => harness.fresh());
  });
}
