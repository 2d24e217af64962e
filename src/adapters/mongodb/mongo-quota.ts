// Quota limits (the daily budget) on MongoDB: counters charged by conditional $inc, optionally in shards.
import type { Collection } from 'mongodb';
import { quotaState } from '../../domain/limits/limit-arithmetic.ts';
import type { QuotaLimit } from '../../domain/limits/send-limit.ts';
import type { ChargeResult, LimitSnapshot } from '../../ports/limit-ledger.ts';
import { isDuplicateKey } from './driver-errors.ts';
import type { KeyLock } from './key-lock.ts';

interface Charge {
  at: Date;
  id: string;
}

/** A document of sms_rate_limits: a window limit's sends, a quota (shard)'s count, or a charge marker. */
export interface LimitDocument {
  _id: string;
  /** Version for compare-and-set; absent documents count as version 0. */
  v?: number;
  /** Window limits: the newest sends first, at most `limit` of them. */
  sends?: Charge[];
  /** Quota limits: sends so far. */
  count?: number;
  /** Charge markers: the shard the charge went to. */
  shard?: number;
  /** When the document may go (TTL index): the end of its window, or the quota's reset. */
  expires_at: Date;
}

/** A quota's charges are counted, not listed; one small marker document per charge makes refunds exact. */
const chargeMarker = (key: string, chargeId: string) => `charge:${key}:${chargeId}`;

/**
 * With `shards` > 1 the quota's limit is split between that many counters (`<key>#<n>`), each
 * below its own share, and a charge tries them in turn: the sum never passes the limit, and a
 * send is refused only when every shard is full, so the quota stays exact while sends behind a
 * lease lock queue on one shard's lock rather than on one global key. With one shard the counter
 * is the key itself, as it always was.
 */
export function createQuotaCounter(limits: Collection<LimitDocument>, lock: KeyLock, shards: number) {
  const shardId = (limit: QuotaLimit, n: number) => (shards === 1 ? limit.key : `${limit.key}#${n}`);
  const share = (limit: QuotaLimit, n: number) => Math.floor(limit.limit / shards) + (n < limit.limit % shards ? 1 : 0);
  const ids = (limit: QuotaLimit) => Array.from({ length: shards }, (_, n) => shardId(limit, n));
  const snapshot = (limit: QuotaLimit, docs: Map<string, LimitDocument>, now: number): LimitSnapshot => {
    const counts = ids(limit).map((id) => docs.get(id)?.count ?? 0);
    return { limit, token: counts, state: quotaState(limit, sum(counts), now) };
  };
  const reread = async (limit: QuotaLimit, now: Date) => {
    const found = await limits.find({ _id: { $in: ids(limit) } }).toArray();
    return snapshot(limit, new Map(found.map((d) => [d._id, d])), now.getTime());
  };

  /** Charges shard `n` if it is below its share; the document after, or null when it is full. */
  const chargeShard = (limit: QuotaLimit, n: number) => {
    const cap = share(limit, n);
    const id = shardId(limit, n);
    return lock.run(
      `limit:${id}`,
      () =>
        limits
          .findOneAndUpdate(
            { _id: id, count: { $lt: cap } },
            { $inc: { count: 1 }, $setOnInsert: { expires_at: limit.resetAt } },
            { upsert: true, returnDocument: 'after' },
          )
          .catch((error: unknown) => {
            // The shard is full: the upsert tried to insert a second document with its _id.
            if (isDuplicateKey(error)) return null;
            throw error;
          }),
      async () => (((await limits.findOne({ _id: id }))?.count ?? 0) >= cap ? null : undefined),
    );
  };

  return {
    ids,
    snapshot,
    async charge(chargeId: string, seen: LimitSnapshot, now: Date): Promise<ChargeResult> {
      const limit = seen.limit as QuotaLimit;
      const counts = seen.token as number[];
      // Shards with room first, from a random one, so that parallel sends spread over the locks.
      const start = Math.floor(Math.random() * shards);
      const order = Array.from({ length: shards }, (_, i) => (start + i) % shards)
        .filter((n) => share(limit, n) > 0)
        .sort((a, b) => Number(counts[a]! >= share(limit, a)) - Number(counts[b]! >= share(limit, b)));
      for (const n of order) {
        const doc = await chargeShard(limit, n);
        if (!doc) continue;
        await limits.insertOne({ _id: chargeMarker(limit.key, chargeId), shard: n, expires_at: limit.resetAt });
        const total = sum(counts) - counts[n]! + (doc.count ?? 0);
        return { charged: true, state: quotaState(limit, total, now.getTime()) };
      }
      return { charged: false, snapshot: await reread(limit, now) };
    },
    async uncharge(chargeId: string, limit: QuotaLimit): Promise<void> {
      // Only the call that removes the marker takes the charge back: idempotent, and an unknown id changes nothing.
      const marker = await limits.findOneAndDelete({ _id: chargeMarker(limit.key, chargeId) });
      if (!marker) return;
      const id = shardId(limit, marker.shard ?? 0);
      await lock.run(`limit:${id}`, () => limits.updateOne({ _id: id, count: { $gt: 0 } }, { $inc: { count: -1 } }));
    },
  };
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
