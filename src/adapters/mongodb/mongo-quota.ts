// Quota limits (the daily budget) on MongoDB: a counter charged by conditional $inc, with a marker per charge.
import type { Collection } from 'mongodb';
import { quotaState } from '../../domain/limits/limit-arithmetic.ts';
import type { QuotaLimit } from '../../domain/limits/send-limit.ts';
import type { ChargeResult, LimitSnapshot } from '../../ports/limit-ledger.ts';
import { isDuplicateKey } from './driver-errors.ts';

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
  /** When the document may go (TTL index): the end of its window, or the quota's reset. */
  expires_at: Date;
}

/** A quota's charges are counted, not listed; one small marker document per charge makes refunds exact. */
const chargeMarker = (key: string, chargeId: string) => `charge:${key}:${chargeId}`;

/**
 * A quota's counter is its key's document; a charge is one `$inc` conditional on the count being
 * below the limit (an upsert: a full counter makes it try to insert a second document with that
 * `_id`, which fails), and leaves a marker so that taking it back is exact and idempotent.
 */
export function createQuotaCounter(limits: Collection<LimitDocument>) {
  const snapshot = (limit: QuotaLimit, doc: LimitDocument | null, now: number): LimitSnapshot => ({
    limit,
    token: doc?.count ?? 0,
    state: quotaState(limit, doc?.count ?? 0, now),
  });
  return {
    snapshot,
    async charge(chargeId: string, seen: LimitSnapshot, now: Date): Promise<ChargeResult> {
      const limit = seen.limit as QuotaLimit;
      const doc = await limits
        .findOneAndUpdate(
          { _id: limit.key, count: { $lt: limit.limit } },
          { $inc: { count: 1 }, $setOnInsert: { expires_at: limit.resetAt } },
          { upsert: true, returnDocument: 'after' },
        )
        .catch((error: unknown) => {
          if (isDuplicateKey(error)) return null;
          throw error;
        });
      if (!doc)
        return { charged: false, snapshot: snapshot(limit, await limits.findOne({ _id: limit.key }), now.getTime()) };
      await limits.insertOne({ _id: chargeMarker(limit.key, chargeId), expires_at: limit.resetAt });
      return { charged: true, state: quotaState(limit, doc.count ?? 0, now.getTime()) };
    },
    async uncharge(chargeId: string, limit: QuotaLimit): Promise<void> {
      // Only the call that removes the marker takes the charge back: idempotent, and an unknown id changes nothing.
      const marker = await limits.findOneAndDelete({ _id: chargeMarker(limit.key, chargeId) });
      if (!marker) return;
      await limits.updateOne({ _id: limit.key, count: { $gt: 0 } }, { $inc: { count: -1 } });
    },
  };
}
