// The collections' indexes, created idempotently at start-up.
import type { Db } from 'mongodb';
import { ATTEMPTS_COLLECTION } from './mongo-attempt-store.ts';
import { CODES_COLLECTION } from './mongo-code-store.ts';
import { OUTBOX_COLLECTION } from './mongo-event-outbox.ts';
import { FRAUD_BLOCKS_COLLECTION, FRAUD_COUNTS_COLLECTION } from './mongo-fraud-store.ts';
import { IDEMPOTENCY_COLLECTION } from './mongo-idempotency-store.ts';
import { LIMITS_COLLECTION } from './mongo-limit-ledger.ts';

export interface IndexReport {
  /** False when the server refused TTL indexes: expired documents must then be swept by the service. */
  readonly ttl: boolean;
  /** Why TTL indexes are missing, when they are. */
  readonly ttlRefusal?: string;
}

/**
 * Creates the unique phone index, the message-id index and the TTL indexes. Creating an index
 * that exists with the same options is a no-op, so this runs at every start.
 */
export async function ensureIndexes(db: Db): Promise<IndexReport> {
  const codes = db.collection(CODES_COLLECTION);
  const limits = db.collection(LIMITS_COLLECTION);
  const idempotency = db.collection(IDEMPOTENCY_COLLECTION);
  const fraudCounts = db.collection(FRAUD_COUNTS_COLLECTION);
  const fraudBlocks = db.collection(FRAUD_BLOCKS_COLLECTION);
  // Default index names: an index the replaced service already made on the same key is then
  // found as the same index, where a new name would be refused as a conflict.
  await codes.createIndex({ phone_number: 1 }, { unique: true });
  await codes.createIndex({ message_id: 1 });
  // The fallback scheduler's scan: verifications whose next step is due.
  await codes.createIndex({ next_step_at: 1 });
  // The sweep that erases expired sealed codes.
  await codes.createIndex({ expires_at: 1 });
  await fraudCounts.createIndex({ key: 1, bucket: 1 });
  await fraudBlocks.createIndex({ until: 1 });
  const attempts = db.collection(ATTEMPTS_COLLECTION);
  // Pages newest first (all, or one service's), delivery receipts by message id, approvals by verification.
  await attempts.createIndex({ created_at: -1, _id: -1 });
  await attempts.createIndex({ service_sid: 1, created_at: -1 });
  await attempts.createIndex({ message_id: 1 });
  await attempts.createIndex({ verification_id: 1 });
  const outbox = db.collection(OUTBOX_COLLECTION);
  // The delivery loop's scan (pending events by when they are due) and the operator's failed list.
  await outbox.createIndex({ failed_at: 1, next_at: 1 });
  try {
    await codes.createIndex({ purge_at: 1 }, { expireAfterSeconds: 0 });
    await limits.createIndex({ expires_at: 1 }, { expireAfterSeconds: 0 });
    await idempotency.createIndex({ expires_at: 1 }, { expireAfterSeconds: 0 });
    await fraudCounts.createIndex({ expires_at: 1 }, { expireAfterSeconds: 0 });
    await fraudBlocks.createIndex({ expires_at: 1 }, { expireAfterSeconds: 0 });
    await attempts.createIndex({ expires_at: 1 }, { expireAfterSeconds: 0 });
    await outbox.createIndex({ expires_at: 1 }, { expireAfterSeconds: 0 });
    return { ttl: true };
  } catch (error) {
    if (!isUnsupportedOption(error)) throw error;
    await codes.createIndex({ purge_at: 1 });
    await limits.createIndex({ expires_at: 1 });
    await idempotency.createIndex({ expires_at: 1 });
    await fraudCounts.createIndex({ expires_at: 1 });
    await fraudBlocks.createIndex({ expires_at: 1 });
    await attempts.createIndex({ expires_at: 1 });
    await outbox.createIndex({ expires_at: 1 });
    return { ttl: false, ttlRefusal: error instanceof Error ? error.message : String(error) };
  }
}

/** "Not implemented" (238) or "invalid index option" answers, as MongoDB-compatible servers give them. */
function isUnsupportedOption(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return (
    code === 238 ||
    code === 115 ||
    code === 197 ||
    /not (implemented|supported)/i.test(String((error as Error)?.message))
  );
}
