// In-memory IdempotencyStore: exact in one process, because each call decides synchronously.
import { randomId } from '../../domain/random.ts';
import type { IdempotencyStore, StoredResponse } from '../../ports/idempotency-store.ts';
import { mapTable, type Table } from './table.ts';

export interface IdempotencyEntry {
  readonly fingerprint: string;
  readonly token: string;
  readonly expiresAt: number;
  readonly leaseUntil: number;
  readonly response: StoredResponse | null;
}

/** Keys live until their claim expires; expired ones are swept whenever the map has doubled. */
export function createMemoryIdempotencyStore(
  entries: Table<IdempotencyEntry> = mapTable<IdempotencyEntry>(),
): IdempotencyStore & { size(): number } {
  let sweepAt = 1024;
  const sweep = (now: number) => {
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
    sweepAt = Math.max(1024, entries.size * 2);
  };
  return {
    async claim(key, fingerprint, nowDate, ttlMs, leaseMs) {
      const now = nowDate.getTime();
      const found = entries.get(key);
      if (found && found.expiresAt > now) {
        if (found.fingerprint !== fingerprint) return { outcome: 'mismatch' };
        if (found.response) return { outcome: 'replay', response: found.response };
        if (found.leaseUntil > now) return { outcome: 'in_progress' };
      }
      const token = randomId();
      entries.set(key, { fingerprint, token, expiresAt: now + ttlMs, leaseUntil: now + leaseMs, response: null });
      if (entries.size >= sweepAt) sweep(now);
      return { outcome: 'claimed', token };
    },
    async complete(key, token, response) {
      const entry = entries.get(key);
      if (entry?.token === token) entries.set(key, { ...entry, response });
    },
    async release(key, token) {
      if (entries.get(key)?.token === token) entries.delete(key);
    },
    async ping() {},
    size: () => entries.size,
  };
}
