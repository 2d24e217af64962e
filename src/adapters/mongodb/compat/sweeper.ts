// Deletes expired documents on an interval, for servers that refuse TTL indexes.
import type { Db } from 'mongodb';
import type { Clock } from '../../../ports/clock.ts';
import { ATTEMPTS_COLLECTION } from '../mongo-attempt-store.ts';
import { CODES_COLLECTION } from '../mongo-code-store.ts';
import { OUTBOX_COLLECTION } from '../mongo-event-outbox.ts';
import { FRAUD_BLOCKS_COLLECTION, FRAUD_COUNTS_COLLECTION } from '../mongo-fraud-store.ts';
import { IDEMPOTENCY_COLLECTION } from '../mongo-idempotency-store.ts';
import { LIMITS_COLLECTION } from '../mongo-limit-ledger.ts';
import { LOCKS_COLLECTION } from './key-lock.ts';

export interface Sweeper {
  /** Runs one sweep now; resolves with how many documents went. */
  sweep(): Promise<number>;
  stop(): void;
}

/**
 * What a TTL index would do, done by the service. Correctness never depends on it: every read
 * checks expiry itself; the sweeper only keeps the collections from growing.
 */
export function startSweeper(db: Db, clock: Clock, intervalMs: number, onError: (error: unknown) => void): Sweeper {
  const sweep = async () => {
    const now = clock.now();
    const expired = { expires_at: { $lte: now } };
    const results = await Promise.all([
      db.collection(CODES_COLLECTION).deleteMany({ purge_at: { $lte: now } }),
      db.collection(LIMITS_COLLECTION).deleteMany(expired),
      // Leases outlive a holder that died; a live lease is never older than its expiry.
      db.collection(LOCKS_COLLECTION).deleteMany({ expires_at: { $lte: new Date() } }),
      db.collection(IDEMPOTENCY_COLLECTION).deleteMany(expired),
      db.collection(FRAUD_COUNTS_COLLECTION).deleteMany(expired),
      db.collection(FRAUD_BLOCKS_COLLECTION).deleteMany(expired),
      db.collection(ATTEMPTS_COLLECTION).deleteMany(expired),
      db.collection(OUTBOX_COLLECTION).deleteMany(expired),
    ]);
    return results.reduce((sum, r) => sum + r.deletedCount, 0);
  };
  const timer = setInterval(() => void sweep().catch(onError), intervalMs);
  timer.unref?.();
  return { sweep, stop: () => clearInterval(timer) };
}
