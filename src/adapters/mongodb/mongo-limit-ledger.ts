// LimitLedger on MongoDB: one document per limit key in sms_rate_limits, charged by compare-and-set.
import type { Collection, Db } from 'mongodb';
import { windowState } from '../../domain/limits/limit-arithmetic.ts';
import type { WindowLimit } from '../../domain/limits/send-limit.ts';
import type { LimitLedger, LimitSnapshot } from '../../ports/limit-ledger.ts';
import { guard, isDuplicateKey, pingOf } from './driver-errors.ts';
import { createQuotaCounter, type LimitDocument } from './mongo-quota.ts';

export const LIMITS_COLLECTION = 'sms_rate_limits';

/** Gives up taking back one charge after this many lost races (each loss means another send won). */
const MAX_UNCHARGE_ROUNDS = 200;

/**
 * Window limits are charged by compare-and-set on the document's version, written as an upsert:
 * a lost race shows up as "no match, then a duplicate _id on insert" (E11000), and the engine
 * re-reads. Quotas are conditional `$inc`s (`mongo-quota.ts`). Only these primitives are used because some
 * MongoDB-compatible servers silently ignore `$position` and `$pull` by condition. Servers without
 * atomic updates get this ledger behind `compat/serialised-limit-ledger.ts`.
 */
export function createMongoLimitLedger(db: Db): LimitLedger {
  const limits: Collection<LimitDocument> = db.collection<LimitDocument>(LIMITS_COLLECTION);
  const quota = createQuotaCounter(limits);
  const windowSnapshot = (limit: WindowLimit, doc: LimitDocument | null, now: number): LimitSnapshot => ({
    limit,
    token: doc,
    state: windowState(
      limit,
      (doc?.sends ?? []).map((s) => s.at.getTime()),
      now,
    ),
  });
  const reread = async (limit: WindowLimit, now: Date) => ({
    charged: false as const,
    snapshot: windowSnapshot(limit, await limits.findOne({ _id: limit.key }), now.getTime()),
  });

  return {
    read: (wanted, now) =>
      guard(async () => {
        const ids = wanted.map((l) => l.key);
        const found = await limits.find({ _id: { $in: ids } }).toArray();
        const docs = new Map(found.map((d) => [d._id, d]));
        return wanted.map((limit) =>
          limit.kind === 'quota'
            ? quota.snapshot(limit, docs.get(limit.key) ?? null, now.getTime())
            : windowSnapshot(limit, docs.get(limit.key) ?? null, now.getTime()),
        );
      }),
    charge: (chargeId, seen, now) =>
      guard(async () => {
        const { limit } = seen;
        if (limit.kind === 'quota') return quota.charge(chargeId, seen, now);
        const t = now.getTime();
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
        return { charged: true, state: windowSnapshot(limit, { _id: limit.key, v, sends, expires_at }, t).state };
      }),
    uncharge: (chargeId, limit) =>
      guard(async () => {
        if (limit.kind === 'quota') return quota.uncharge(chargeId, limit);
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
        throw new Error(`could not take back a charge: ${MAX_UNCHARGE_ROUNDS} lost races`);
      }),
    ping: pingOf(db),
    close: async () => {},
  };
}
