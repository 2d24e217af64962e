// The LimitLedger for servers whose conditional updates are not atomic: each key charged under its lease lock, quotas in shards.
import { admits, quotaState } from '../../../domain/limits/limit-arithmetic.ts';
import type { QuotaLimit, SendLimit, WindowLimit } from '../../../domain/limits/send-limit.ts';
import type { ChargeResult, LimitLedger, LimitSnapshot } from '../../../ports/limit-ledger.ts';
import { guard } from '../driver-errors.ts';
import type { KeyLock } from './key-lock.ts';

/** Shards of a quota: behind a lease lock one global key (the daily budget) would serialise every send. */
const QUOTA_SHARDS = 16;

/**
 * Holding a key's lock, nothing else writes it: a charge reads the key afresh and charges it if it
 * still admits, rather than losing a compare-and-set to every send that went before in the queue;
 * a waiter whose limit filled up meanwhile is refused at once, without the lock. A quota's limit
 * is split between `shards` counters (`<key>#<n>`), each below its own share, and a charge tries
 * them in turn, shards with room first from a random one: the sum never passes the limit, a send
 * is refused only when every shard is full, and parallel sends spread over the locks.
 */
export function serialisedLimitLedger(inner: LimitLedger, lock: KeyLock, shards = QUOTA_SHARDS): LimitLedger {
  const locked = <T>(key: string, work: () => Promise<T>, settled?: () => Promise<T | undefined>) =>
    guard(() => lock.run(`limit:${key}`, work, settled));
  const share = (limit: QuotaLimit, n: number) => Math.floor(limit.limit / shards) + (n < limit.limit % shards ? 1 : 0);
  const shardsOf = (limit: QuotaLimit): QuotaLimit[] =>
    Array.from({ length: shards }, (_, n) => ({ ...limit, key: `${limit.key}#${n}`, limit: share(limit, n) }));
  /** One snapshot of the whole quota from its shards' snapshots (its token). */
  const joined = (limit: QuotaLimit, parts: readonly LimitSnapshot[], now: Date): LimitSnapshot => {
    const used = parts.reduce((sum, part) => sum + ((part.limit as QuotaLimit).limit - part.state.remaining), 0);
    return { limit, token: parts, state: quotaState(limit, used, now.getTime()) };
  };
  const fresh = async (limit: SendLimit, now: Date) => (await inner.read([limit], now))[0]!;

  const chargeWindow = (chargeId: string, limit: WindowLimit, now: Date) => {
    const t = now.getTime();
    const refused = async (): Promise<ChargeResult | undefined> => {
      const snapshot = await fresh(limit, now);
      return admits(snapshot.state, t) ? undefined : { charged: false, snapshot };
    };
    return locked<ChargeResult>(
      limit.key,
      async () => {
        const snapshot = await fresh(limit, now);
        return admits(snapshot.state, t) ? inner.charge(chargeId, snapshot, now) : { charged: false, snapshot };
      },
      refused,
    );
  };

  const chargeQuota = async (chargeId: string, seen: LimitSnapshot, now: Date): Promise<ChargeResult> => {
    const limit = seen.limit as QuotaLimit;
    const parts = seen.token as LimitSnapshot[];
    const start = Math.floor(Math.random() * shards);
    const order = Array.from({ length: shards }, (_, i) => (start + i) % shards)
      .filter((n) => (parts[n]!.limit as QuotaLimit).limit > 0)
      .sort((a, b) => Number(parts[a]!.state.remaining <= 0) - Number(parts[b]!.state.remaining <= 0));
    for (const n of order) {
      const shard = parts[n]!.limit as QuotaLimit;
      const full = async () => ((await fresh(shard, now)).state.remaining <= 0 ? null : undefined);
      const charged = await locked(
        shard.key,
        async () => {
          const snapshot = await fresh(shard, now);
          if (snapshot.state.remaining <= 0) return null;
          const result = await inner.charge(chargeId, snapshot, now);
          return result.charged ? result : null;
        },
        full,
      );
      if (charged) {
        const others = parts.filter((_, i) => i !== n);
        const used = others.reduce((sum, p) => sum + ((p.limit as QuotaLimit).limit - p.state.remaining), 0);
        return {
          charged: true,
          state: quotaState(limit, used + (shard.limit - charged.state.remaining), now.getTime()),
        };
      }
    }
    return { charged: false, snapshot: joined(limit, await inner.read(shardsOf(limit), now), now) };
  };

  return {
    async read(limits, now) {
      const wanted = limits.flatMap((limit): SendLimit[] => (limit.kind === 'quota' ? shardsOf(limit) : [limit]));
      const found = await inner.read(wanted, now);
      let i = 0;
      return limits.map((limit) => {
        if (limit.kind !== 'quota') return found[i++]!;
        const parts = found.slice(i, i + shards);
        i += shards;
        return joined(limit, parts, now);
      });
    },
    charge: (chargeId, seen, now) =>
      seen.limit.kind === 'quota' ? chargeQuota(chargeId, seen, now) : chargeWindow(chargeId, seen.limit, now),
    async uncharge(chargeId, limit) {
      // A quota charge went to one shard, which its marker names: only that shard's uncharge changes anything.
      const keys: SendLimit[] = limit.kind === 'quota' ? shardsOf(limit) : [limit];
      for (const key of keys) await locked(key.key, () => inner.uncharge(chargeId, key));
    },
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
}
