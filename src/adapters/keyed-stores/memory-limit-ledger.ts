// In-memory LimitLedger: a worked example of the per-key primitive, and the engine's test double.

import { quotaState, windowState } from '../../domain/limits/limit-arithmetic.ts';
import type { SendLimit } from '../../domain/limits/send-limit.ts';
import type { LimitLedger, LimitSnapshot } from '../../ports/limit-ledger.ts';
import { mapTable, type Table } from './table.ts';

export interface LedgerEntry {
  readonly version: number;
  /** Window limits: the newest sends first, at most `limit` of them. */
  readonly sends: readonly { readonly at: number; readonly id: string }[];
  /** Quotas: the ids charged this period (a refund of an unknown id must change nothing). */
  readonly charged: ReadonlySet<string>;
  /** When the entry counts for nothing any more: its window past the newest send, or the quota's reset. */
  readonly expiresAt?: number;
}
type Entry = LedgerEntry;

/**
 * A store for the limit engine (`createSendLimitEngine`), kept as simple as a real one: a
 * version per key for compare-and-set. Memory stores use `createMemorySendLimitStore`, which
 * decides every limit in one synchronous step; this one exists to prove the engine and the
 * contract of LimitLedger on something any new store can be compared with.
 */
export function createMemoryLimitLedger(entries: Table<LedgerEntry> = mapTable<LedgerEntry>()): LimitLedger {
  let sweepAt = 1024;
  // An expired entry reads as a fresh one, so dropping it changes nothing but its version, which no
  // snapshot taken before the expiry can still match (its window or period has passed too).
  const sweep = (now: number) => {
    for (const [key, e] of entries) if (e.expiresAt !== undefined && e.expiresAt <= now) entries.delete(key);
    sweepAt = Math.max(1024, entries.size * 2);
  };
  const until = (limit: SendLimit, t: number) =>
    limit.kind === 'window' ? t + Math.max(limit.windowMs, limit.cooldownMs) : limit.resetAt.getTime();
  const entry = (key: string): Entry => entries.get(key) ?? { version: 0, sends: [], charged: new Set<string>() };
  const snapshot = (limit: SendLimit, e: Entry, now: number): LimitSnapshot => ({
    limit,
    token: e.version,
    state:
      limit.kind === 'window'
        ? windowState(
            limit,
            e.sends.map((s) => s.at),
            now,
          )
        : quotaState(limit, e.charged.size, now),
  });

  return {
    async read(limits, now) {
      return limits.map((limit) => snapshot(limit, entry(limit.key), now.getTime()));
    },
    async charge(chargeId, seen, now) {
      const { limit } = seen;
      const e = entry(limit.key);
      const t = now.getTime();
      const stale = limit.kind === 'window' ? e.version !== seen.token : e.charged.size >= limit.limit;
      if (stale) return { charged: false, snapshot: snapshot(limit, e, t) };
      const next: Entry =
        limit.kind === 'window'
          ? {
              ...e,
              version: e.version + 1,
              sends: [{ at: t, id: chargeId }, ...e.sends].slice(0, limit.limit),
              expiresAt: until(limit, t),
            }
          : { ...e, version: e.version + 1, charged: new Set(e.charged).add(chargeId), expiresAt: until(limit, t) };
      entries.set(limit.key, next);
      if (entries.size >= sweepAt) sweep(t);
      return { charged: true, state: snapshot(limit, next, t).state };
    },
    async uncharge(chargeId, limit) {
      const e = entries.get(limit.key);
      if (!e) return;
      const sends = e.sends.filter((s) => s.id !== chargeId);
      const charged = new Set(e.charged);
      charged.delete(chargeId);
      entries.set(limit.key, { ...e, version: e.version + 1, sends, charged });
    },
    async ping() {},
    async close() {},
  };
}
