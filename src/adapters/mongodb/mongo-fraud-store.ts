// FraudStore on MongoDB: counters per key and bucket in sms_fraud_counts, one block per prefix in sms_fraud_blocks.
import type { Collection, Db } from 'mongodb';
import type { FraudBlock, WindowCounts } from '../../domain/fraud/fraud-block.ts';
import type { FraudStore } from '../../ports/fraud-store.ts';
import { guard, isDuplicateKey, pingOf, upsertWithRetry } from './driver-errors.ts';

export const FRAUD_COUNTS_COLLECTION = 'sms_fraud_counts';
export const FRAUD_BLOCKS_COLLECTION = 'sms_fraud_blocks';

interface CountDocument {
  _id: string;
  key: string;
  bucket: Date;
  sends: number;
  approvals: number;
  /** When the bucket leaves the window (TTL index). */
  expires_at: Date;
}

interface BlockDocument {
  _id: string;
  country: string;
  mode: FraudBlock['mode'];
  since: Date;
  until: Date;
  sends: number;
  approvals: number;
  lifted_at?: Date;
  /** Kept past `until` while the counts it restarted could still be in the window (TTL index). */
  expires_at: Date;
}

const toBlock = (d: BlockDocument): FraudBlock => ({
  prefix: d._id,
  country: d.country,
  mode: d.mode,
  since: d.since,
  until: d.until,
  sends: d.sends,
  approvals: d.approvals,
});

/** At most this many blocks are listed: more running at once is an attack on many ranges, and the log has each. */
const LIST_LIMIT = 1000;

/**
 * Each bucket's change is one `$inc` upsert that returns the document it left
 * (`findOneAndUpdate`), so concurrent sends each see their own total; older buckets no longer
 * change and are read alongside. A block is one conditional upsert on "no block still running":
 * when one runs the filter misses and the insert fails on the unique `_id`, so exactly one of
 * racing callers records it. Servers without atomic updates get this store behind
 * `compat/serialised-fraud-store.ts`.
 */
export function createMongoFraudStore(db: Db): FraudStore {
  const counts: Collection<CountDocument> = db.collection<CountDocument>(FRAUD_COUNTS_COLLECTION);
  const blocks: Collection<BlockDocument> = db.collection<BlockDocument>(FRAUD_BLOCKS_COLLECTION);

  const bump = (key: string, field: 'sends' | 'approvals', delta: number, bucket: Date, expiresAt: Date) => {
    const _id = `${key}|${bucket.getTime()}`;
    const other = field === 'sends' ? 'approvals' : 'sends';
    return upsertWithRetry(() =>
      counts.findOneAndUpdate(
        { _id },
        { $inc: { [field]: delta }, $setOnInsert: { key, bucket, [other]: 0, expires_at: expiresAt } },
        { upsert: true, returnDocument: 'after' },
      ),
    );
  };

  return {
    count: ({ keys, field, delta, bucket, from, expiresAt }) =>
      guard(async () => {
        const [older, ...current] = await Promise.all([
          counts.find({ key: { $in: [...keys] }, bucket: { $gte: from, $lt: bucket } }).toArray(),
          ...keys.map((key) => bump(key, field, delta, bucket, expiresAt)),
        ]);
        return keys.map((key, i): WindowCounts => {
          const now = { sends: current[i]?.sends ?? 0, approvals: current[i]?.approvals ?? 0 };
          const totals = { ...now };
          for (const doc of older) {
            if (doc.key !== key) continue;
            totals.sends += doc.sends;
            totals.approvals += doc.approvals;
          }
          return { ...totals, current: now };
        });
      }),
    blockOf: (prefix) =>
      guard(async () => {
        const doc = await blocks.findOne({ _id: prefix });
        return doc ? toBlock(doc) : null;
      }),
    blocksOf: (prefixes) =>
      guard(async () => {
        const found = new Map(
          (await blocks.find({ _id: { $in: [...prefixes] } }).toArray()).map((doc) => [doc._id, toBlock(doc)]),
        );
        return prefixes.map((prefix) => found.get(prefix) ?? null);
      }),
    block: (block, now, keepUntil) =>
      guard(async () => {
        const { prefix, ...fields } = block;
        try {
          const result = await blocks.updateOne(
            { _id: prefix, until: { $lte: now } },
            { $set: { ...fields, expires_at: keepUntil }, $unset: { lifted_at: '' } },
            { upsert: true },
          );
          return result.upsertedCount + result.modifiedCount === 1;
        } catch (error) {
          if (isDuplicateKey(error)) return false;
          throw error;
        }
      }),
    activeBlocks: (now) =>
      guard(async () =>
        (
          await blocks
            .find({ until: { $gt: now } })
            .sort({ since: -1 })
            .limit(LIST_LIMIT)
            .toArray()
        ).map(toBlock),
      ),
    lift: (prefix, now) =>
      guard(async () => {
        const before = await blocks.findOneAndUpdate(
          { _id: prefix, until: { $gt: now } },
          { $set: { until: now, lifted_at: now } },
          { returnDocument: 'before' },
        );
        return before ? toBlock(before) : null;
      }),
    ping: pingOf(db),
  };
}
