// LimitLedger on MongoDB: one document per limit key in sms_rate_limits, charged by compare-and-set.
import type { Collection, Db } from 'mongodb';
import { createSendLimitEngine } from '../../domain/limit-engine.ts';
import type { SendLimit } from '../../domain/send-limit.ts';
import { quotaState, windowState } from '../../domain/sliding-window.ts';
import type { LimitLedger, LimitSnapshot } from '../../ports/limit-ledger.ts';
import type { SendLimitStore } from '../../ports/send-limit-store.ts';
import { guard, isDuplicateKey } from './driver-errors.ts';
import { type KeyLock, noKeyLock } from './key-lock.ts';

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

/** Gives up taking back one charge after this many lost races (each loss means another send won). */
const MAX_UNCHARGE_ROUNDS = 200;

/** A quota's charges are counted, not listed; one small marker document per charge makes refunds exact. */
const chargeMarker = (key: string, chargeId: string) => `charge:${key}:${chargeId}`;

/**
 * Window limits are charged by compare-and-set on the document's version, written as an upsert:
 * a lost race shows up as "no match, then a duplicate _id on insert" (E11000), and the engine
 * re-reads. Quotas are one conditional `$inc`. Only these primitives are used because some
 * MongoDB-compatible servers silently ignore `$position` and `$pull` by condition. On servers
 * without atomic updates, `lock` serialises every write to a key.
 */
export function createMongoLimitLedger(db: Db, lock: KeyLock = noKeyLock): LimitLedger {
  const limits: Collection<LimitDocument> = db.collection<LimitDocument>(LIMITS_COLLECTION);
  const snapshot = (limit: SendLimit, doc: LimitDocument | null, now: number): LimitSnapshot => ({
    limit,
    token: doc,
    state:
      limit.kind === 'window'
        ? windowState(
            limit,
            (doc?.sends ?? []).map((s) => s.at.getTime()),
            now,
          )
        : quotaState(limit, doc?.count ?? 0, now),
  });
  const reread = async (limit: SendLimit, now: Date) => ({
    charged: false as const,
    snapshot: snapshot(limit, await limits.findOne({ _id: limit.key }), now.getTime()),
  });

  return {
    read: (wanted, now) =>
      guard(async () => {
        const found = await limits.find({ _id: { $in: wanted.map((l) => l.key) } }).toArray();
        const docs = new Map(found.map((d) => [d._id, d]));
        return wanted.map((limit) => snapshot(limit, docs.get(limit.key) ?? null, now.getTime()));
      }),
    charge: (chargeId, seen, now) =>
      guard(() =>
        lock.run(`limit:${seen.limit.key}`, async () => {
          const { limit } = seen;
          const t = now.getTime();
          if (limit.kind === 'quota') {
            const doc = await limits
              .findOneAndUpdate(
                { _id: limit.key, count: { $lt: limit.limit } },
                { $inc: { count: 1 }, $setOnInsert: { expires_at: limit.resetAt } },
                { upsert: true, returnDocument: 'after' },
              )
              .catch((error: unknown) => {
                // The quota is full: the upsert tried to insert a second document with its _id.
                if (isDuplicateKey(error)) return null;
                throw error;
              });
            if (!doc) return reread(limit, now);
            await limits.insertOne({ _id: chargeMarker(limit.key, chargeId), expires_at: limit.resetAt });
            return { charged: true, state: snapshot(limit, doc, t).state };
          }
          const doc = seen.token as LimitDocument | null;
          const kept = (doc?.sends ?? []).filter((s) => s.at.getTime() > t - limit.windowMs);
          const sends = [{ at: now, id: chargeId }, ...kept].slice(0, limit.limit);
          const expires_at = new Date(t + Math.max(limit.windowMs, limit.cooldownMs));
          const v = (doc?.v ?? 0) + 1;
          try {
            await limits.updateOne(
              { _id: limit.key, v: doc?.v ?? 0 },
              { $set: { v, sends, expires_at } },
              { upsert: true },
            );
          } catch (error) {
            if (isDuplicateKey(error)) return reread(limit, now);
            throw error;
          }
          return { charged: true, state: snapshot(limit, { _id: limit.key, v, sends, expires_at }, t).state };
        }),
      ),
    uncharge: (chargeId, limit) =>
      guard(() =>
        lock.run(`limit:${limit.key}`, async () => {
          if (limit.kind === 'quota') {
            // Only the call that removes the marker takes the charge back: idempotent, and an unknown id changes nothing.
            const marker = await limits.deleteOne({ _id: chargeMarker(limit.key, chargeId) });
            if (marker.deletedCount === 1)
              await limits.updateOne({ _id: limit.key, count: { $gt: 0 } }, { $inc: { count: -1 } });
            return;
          }
          for (let round = 0; round < MAX_UNCHARGE_ROUNDS; round++) {
            const doc = await limits.findOne({ _id: limit.key });
            if (!doc?.sends?.some((s) => s.id === chargeId)) return;
            const sends = doc.sends.filter((s) => s.id !== chargeId);
            const result = await limits.updateOne(
              { _id: limit.key, v: doc.v ?? 0 },
              { $set: { v: (doc.v ?? 0) + 1, sends } },
            );
            if (result.matchedCount === 1) return;
          }
          throw new Error(`could not take back a charge on ${limit.key}: ${MAX_UNCHARGE_ROUNDS} lost races`);
        }),
      ),
    ping: () =>
      guard(async () => {
        await db.command({ ping: 1 });
      }),
    close: async () => {},
  };
}

/** The SendLimitStore on MongoDB: the shared limit engine over this ledger. */
export const createMongoSendLimitStore = (db: Db, lock: KeyLock = noKeyLock): SendLimitStore =>
  createSendLimitEngine(createMongoLimitLedger(db, lock));
