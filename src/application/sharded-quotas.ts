// Quotas split over shards: one hot key (the daily budget) becomes several, so sends spread out.
import { quotaState } from '../domain/limits/limit-arithmetic.ts';
import type { QuotaLimit, SendLimit } from '../domain/limits/send-limit.ts';
import type { ChargeResult, LimitLedger, LimitSnapshot } from '../ports/limit-ledger.ts';

/**
 * A quota's limit is split between `shards` counters (`<key>#<n>`), each below its own share, and a
 * charge tries them in turn, shards with room first from a random one: the sum never passes the
 * limit, a send is refused only when every shard is full, and parallel sends spread over the
 * shards (over locks on a server without atomic updates, over objects on Durable Objects). Window
 * limits pass through unchanged. The inner ledger's `charge` of a shard must refuse a full one.
 */
export function shardQuotas(inner: LimitLedger, shards: number): LimitLedger {
  const share = (limit: QuotaLimit, n: number) => Math.floor(limit.limit / shards) + (n < limit.limit % shards ? 1 : 0);
  const shardsOf = (limit: QuotaLimit): QuotaLimit[] =>
    Array.from({ length: shards }, (_, n) => ({ ...limit, key: `${limit.key}#${n}`, limit: share(limit, n) }));
  const used = (parts: readonly LimitSnapshot[]) =>
    parts.reduce((sum, part) => sum + ((part.limit as QuotaLimit).limit - part.state.remaining), 0);
  /** One snapshot of the whole quota from its shards' snapshots (its token). */
  const joined = (limit: QuotaLimit, parts: readonly LimitSnapshot[], now: Date): LimitSnapshot => ({
    limit,
    token: parts,
    state: quotaState(limit, used(parts), now.getTime()),
  });

  const chargeQuota = async (chargeId: string, seen: LimitSnapshot, now: Date): Promise<ChargeResult> => {
    const limit = seen.limit as QuotaLimit;
    const parts = seen.token as LimitSnapshot[];
    const start = Math.floor(Math.random() * shards);
    const order = Array.from({ length: shards }, (_, i) => (start + i) % shards)
      .filter((n) => (parts[n]!.limit as QuotaLimit).limit > 0)
      .sort((a, b) => Number(parts[a]!.state.remaining <= 0) - Number(parts[b]!.state.remaining <= 0));
    for (const n of order) {
      const shard = parts[n]!.limit as QuotaLimit;
      const result = await inner.charge(chargeId, parts[n]!, now);
      if (result.charged) {
        const others = used(parts.filter((_, i) => i !== n));
        return {
          charged: true,
          state: quotaState(limit, others + (shard.limit - result.state.remaining), now.getTime()),
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
      seen.limit.kind === 'quota' ? chargeQuota(chargeId, seen, now) : inner.charge(chargeId, seen, now),
    async uncharge(chargeId, limit) {
      // A charge went to one shard; an uncharge of an id a shard never saw changes nothing there.
      const keys: SendLimit[] = limit.kind === 'quota' ? shardsOf(limit) : [limit];
      for (const key of keys) await inner.uncharge(chargeId, key);
    },
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
}
