// In-memory SendLimitStore: every limit decided and charged in one synchronous step.

import { admits, quotaState, windowState } from '../../domain/limits/limit-arithmetic.ts';
import type { LimitState, SendLimit } from '../../domain/limits/send-limit.ts';
import type { SendLimitStore } from '../../ports/send-limit-store.ts';
import type { MemoryStoreOptions } from '../keyed-stores/memory-code-store.ts';

interface Charge {
  readonly at: number;
  readonly id: string;
}

interface Bucket {
  /** Newest first, at most `limit` long: older sends can no longer refuse anything. */
  charges: Charge[];
  /** Quota limits count here instead, with the charges counted so a refund is idempotent. */
  count: number;
  charged: Set<string>;
  expiresAt: number;
}

/**
 * Because `admit` never awaits between reading and charging, concurrent sends in one process are
 * admitted exactly. Buckets whose window has passed are swept whenever the map has doubled. At
 * `maxEntries` (default 300,000: a few keys a send) the oldest buckets go, which forgets their
 * sends: the limits then hold only for the keys kept, and `onEvict` is told.
 */
export function createMemorySendLimitStore(options: MemoryStoreOptions = {}): SendLimitStore & { size(): number } {
  const buckets = new Map<string, Bucket>();
  const maxEntries = options.maxEntries ?? 300_000;
  let sweepAt = Math.min(1024, maxEntries);

  const bucket = (key: string, now: number) => {
    const found = buckets.get(key);
    if (found && found.expiresAt > now) return found;
    const fresh: Bucket = { charges: [], count: 0, charged: new Set(), expiresAt: now };
    buckets.set(key, fresh);
    return fresh;
  };
  const state = (limit: SendLimit, b: Bucket, now: number): LimitState =>
    limit.kind === 'window'
      ? windowState(
          limit,
          b.charges.map((c) => c.at),
          now,
        )
      : quotaState(limit, b.count, now);
  const sweep = (now: number) => {
    for (const [key, b] of buckets) if (b.expiresAt <= now) buckets.delete(key);
    if (buckets.size >= maxEntries) {
      const target = Math.floor(maxEntries * 0.9);
      let evicted = 0;
      for (const key of buckets.keys()) {
        if (buckets.size <= target) break;
        buckets.delete(key);
        evicted++;
      }
      if (evicted > 0) options.onEvict?.(evicted);
    }
    sweepAt = Math.min(maxEntries, Math.max(1024, buckets.size * 2));
  };

  return {
    async admit(chargeId, limits, nowDate) {
      const now = nowDate.getTime();
      // Before reading: a refused send creates buckets too.
      if (buckets.size >= sweepAt) sweep(now);
      const before = limits.map((limit) => state(limit, bucket(limit.key, now), now));
      if (!before.every((s) => admits(s, now))) return { admitted: false, states: before };
      const after = limits.map((limit) => {
        const b = bucket(limit.key, now);
        if (limit.kind === 'window') {
          b.charges = [{ at: now, id: chargeId }, ...b.charges].slice(0, limit.limit);
          b.expiresAt = Math.max(b.expiresAt, now + limit.windowMs, now + limit.cooldownMs);
        } else {
          b.count += 1;
          b.charged.add(chargeId);
          b.expiresAt = Math.max(b.expiresAt, limit.resetAt.getTime());
        }
        return state(limit, b, now);
      });
      return { admitted: true, states: after };
    },
    async refund(chargeId, limits) {
      for (const limit of limits) {
        const b = buckets.get(limit.key);
        if (!b) continue;
        if (limit.kind === 'window') b.charges = b.charges.filter((c) => c.id !== chargeId);
        else if (b.charged.delete(chargeId)) b.count -= 1;
      }
    },
    async ping() {},
    async close() {},
    size: () => buckets.size,
  };
}
