// IdempotencyStore on MongoDB: one document per key in sms_idempotency_keys, claimed by insert.
import type { Collection, Db } from 'mongodb';
import { randomId } from '../../domain/random.ts';
import type { IdempotencyClaim, IdempotencyStore, StoredResponse } from '../../ports/idempotency-store.ts';
import { guard, isDuplicateKey, pingOf } from './driver-errors.ts';

export const IDEMPOTENCY_COLLECTION = 'sms_idempotency_keys';

interface KeyDocument {
  _id: string;
  fingerprint: string;
  owner: string;
  response: StoredResponse | null;
  lease_until: Date;
  /** When the claim ends (TTL index). */
  expires_at: Date;
}

/** A claim that keeps losing to takeovers gives up after this many rounds: another request is on it. */
const MAX_ROUNDS = 3;

/**
 * A claim is an insert under the unique `_id`: of concurrent claims exactly one inserts, on
 * MongoDB and on servers without atomic updates alike. An expired claim, or one whose owner's
 * lease ran out, is deleted by a conditional delete naming what was read, then claimed again by
 * insert, so two takers still cannot both win.
 */
export function createMongoIdempotencyStore(db: Db): IdempotencyStore {
  const keys: Collection<KeyDocument> = db.collection<KeyDocument>(IDEMPOTENCY_COLLECTION);
  return {
    claim: (key, fingerprint, now, ttlMs, leaseMs) =>
      guard(async (): Promise<IdempotencyClaim> => {
        for (let round = 0; round < MAX_ROUNDS; round++) {
          const token = randomId();
          try {
            await keys.insertOne({
              _id: key,
              fingerprint,
              owner: token,
              response: null,
              lease_until: new Date(now.getTime() + leaseMs),
              expires_at: new Date(now.getTime() + ttlMs),
            });
            return { outcome: 'claimed', token };
          } catch (error) {
            if (!isDuplicateKey(error)) throw error;
          }
          const found = await keys.findOne({ _id: key });
          if (!found) continue;
          if (found.expires_at > now) {
            if (found.fingerprint !== fingerprint) return { outcome: 'mismatch' };
            if (found.response) return { outcome: 'replay', response: found.response };
            if (found.lease_until > now) return { outcome: 'in_progress' };
          }
          await keys.deleteOne({ _id: key, owner: found.owner });
        }
        return { outcome: 'in_progress' };
      }),
    complete: (key, token, response) =>
      guard(async () => {
        await keys.updateOne({ _id: key, owner: token }, { $set: { response } });
      }),
    release: (key, token) =>
      guard(async () => {
        await keys.deleteOne({ _id: key, owner: token });
      }),
    ping: pingOf(db),
  };
}
