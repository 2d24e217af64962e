// SendLimitStore on MongoDB: one document per limit key in sms_rate_limits, charged by compare-and-set.
import type { Collection, Db } from 'mongodb';
import { admits, quotaState, windowState } from '../../domain/sliding-window.ts';
import type { SendLimitStore } from '../../ports/send-limit-store.ts';
import type { LimitState, QuotaLimit, SendLimit, WindowLimit } from '../../domain/send-limit.ts';
import { guard, isDuplicateKey } from './driver-errors.ts';
import { noKeyLock, type KeyLock } from './key-lock.ts';

export const LIMITS_COLLECTION = 'sms_rate_limits';

interface Charge {
  at: Date;
  id: string;
}

interface LimitDocument {
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

/** Gives up on a key after this many lost races in one call (each loss means another send won). */
const MAX_ROUNDS = 200;

/**
 * Window limits are charged by compare-and-set on the document's version, written as an upsert:
 * a lost race shows up as "no match, then a duplicate _id on insert" (E11000), and the loser
 * re-reads and decides again. Quotas are one conditional `$inc`. The per-phone limit is charged
 * first and a refusal takes back what this call already charged, so a send is admitted against
 * every limit or none, exactly across processes. Only these primitives are used because some
 * MongoDB-compatible servers silently ignore `$position` and `$pull` by condition. On servers
 * without atomic updates, `lock` serialises every write to a key.
 */
export function createMongoSendLimitStore(db: Db, lock: KeyLock = noKeyLock): SendLimitStore {
  const limits: Collection<LimitDocument> = db.collection<LimitDocument>(LIMITS_COLLECTION);
  const read = async (key: string) => limits.findOne({ _id: key });

  const stateOf = (limit: SendLimit, doc: LimitDocument | null, now: number): LimitState =>
    limit.kind === 'window'
      ? windowState(limit, (doc?.sends ?? []).map((s) => s.at.getTime()), now)
      : quotaState(limit, doc?.count ?? 0, now);

  /** Tries to charge one limit; the new document on success, null when another request won the race. */
  const tryCharge = async (limit: SendLimit, doc: LimitDocument | null, chargeId: string, now: Date) => {
    try {
      return await lock.run<LimitDocument | null>(`limit:${limit.key}`, () =>
        limit.kind === 'quota' ? chargeQuota(limit) : chargeWindow(limit, doc, chargeId, now),
      );
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
  };
  const chargeWindow = async (limit: WindowLimit, doc: LimitDocument | null, chargeId: string, now: Date) => {
    const t = now.getTime();
    const kept = (doc?.sends ?? []).filter((s) => s.at.getTime() > t - limit.windowMs);
    const sends = [{ at: now, id: chargeId }, ...kept].slice(0, limit.limit);
    const expires_at = new Date(t + Math.max(limit.windowMs, limit.cooldownMs));
    const v = (doc?.v ?? 0) + 1;
    await limits.updateOne({ _id: limit.key, v: doc?.v ?? 0 }, { $set: { v, sends, expires_at } }, { upsert: true });
    return { _id: limit.key, v, sends, expires_at };
  };
  const chargeQuota = (limit: QuotaLimit) =>
    limits.findOneAndUpdate(
      { _id: limit.key, count: { $lt: limit.limit } },
      { $inc: { count: 1 }, $setOnInsert: { expires_at: limit.resetAt } },
      { upsert: true, returnDocument: 'after' },
    );
  const removeCharge = (limit: SendLimit, chargeId: string) => lock.run(`limit:${limit.key}`, () => uncharge(limit, chargeId));
  const uncharge = async (limit: SendLimit, chargeId: string) => {
    if (limit.kind === 'quota') {
      await limits.updateOne({ _id: limit.key, count: { $gt: 0 } }, { $inc: { count: -1 } });
      return;
    }
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const doc = await read(limit.key);
      if (!doc?.sends?.some((s) => s.id === chargeId)) return;
      const sends = doc.sends.filter((s) => s.id !== chargeId);
      const result = await limits.updateOne({ _id: limit.key, v: doc.v ?? 0 }, { $set: { v: (doc.v ?? 0) + 1, sends } });
      if (result.matchedCount === 1) return;
    }
    throw new Error(`could not take back a charge on ${limit.key}: ${MAX_ROUNDS} lost races`);
  };

  return {
    admit: (chargeId, wanted, nowDate) =>
      guard(async () => {
        const now = nowDate.getTime();
        const found = await limits.find({ _id: { $in: wanted.map((l) => l.key) } }).toArray();
        const docs = new Map<string, LimitDocument | null>(found.map((d) => [d._id, d]));
        const before = new Map<string, LimitDocument | null>();
        const charged: SendLimit[] = [];
        for (const limit of wanted) {
          let admitted = false;
          for (let round = 0; round < MAX_ROUNDS && !admitted; round++) {
            const doc = docs.get(limit.key) ?? null;
            before.set(limit.key, doc);
            if (!admits(stateOf(limit, doc, now), now)) {
              for (const done of charged) await removeCharge(done, chargeId);
              const states = wanted.map((l) => stateOf(l, before.has(l.key) ? before.get(l.key)! : (docs.get(l.key) ?? null), now));
              return { admitted: false, states };
            }
            const next = await tryCharge(limit, doc, chargeId, nowDate);
            if (next) {
              docs.set(limit.key, next as LimitDocument);
              admitted = true;
            } else {
              docs.set(limit.key, await read(limit.key));
            }
          }
          if (!admitted) throw new Error(`send limit ${limit.key}: ${MAX_ROUNDS} lost races in one call`);
          charged.push(limit);
        }
        return { admitted: true, states: wanted.map((l) => stateOf(l, docs.get(l.key) ?? null, now)) };
      }),
    refund: (chargeId, charged) =>
      guard(async () => {
        for (const limit of charged) {
          if (limit.kind === 'quota') {
            // A quota keeps a count, not charge ids: a marker per refunded charge makes a second refund a no-op.
            try {
              await limits.insertOne({ _id: `refund:${limit.key}:${chargeId}`, expires_at: limit.resetAt });
            } catch (error) {
              if (isDuplicateKey(error)) continue;
              throw error;
            }
          }
          await removeCharge(limit, chargeId);
        }
      }),
    ping: () =>
      guard(async () => {
        await db.command({ ping: 1 });
      }),
    close: async () => {},
  };
}
