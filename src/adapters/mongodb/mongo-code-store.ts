// CodeStore on MongoDB: one document per phone in sms_verification_codes, every rule one conditional write.
import type { Collection, Db } from 'mongodb';
import type { Channel } from '../../domain/verification/channel.ts';
import { statusesBefore } from '../../domain/verification/delivery.ts';
import type { Delivery, VerificationRecord } from '../../domain/verification/verification-record.ts';
import type { CodeStore } from '../../ports/code-store.ts';
import { guard, pingOf, upsertWithRetry } from './driver-errors.ts';

export const CODES_COLLECTION = 'sms_verification_codes';

interface CodeDocument {
  phone_number: string;
  verification_id: string;
  code_hash: string;
  created_at: Date;
  expires_at: Date;
  attempts: number;
  verified: boolean;
  verified_at: Date | null;
  purge_at: Date;
  delivery: { status: Delivery['status']; updated_at: Date; error_code?: string; provider?: string } | null;
  message_id: string | null;
  custom_code?: boolean;
  /** The code sealed for resends (never the code itself); null once approved. */
  code_sealed?: string | null;
  send_attempts?: { channel: Channel; provider: string; time: Date }[];
  step?: number;
  /** When the workflow's next step is due (indexed: the scheduler scans it). */
  next_step_at?: Date | null;
}

/** The MongoDB CodeStore, and the phone a message went to (for `compat/` to lock its document by). */
export interface MongoCodeStore extends CodeStore {
  phoneOf(messageId: string): Promise<string | null>;
}

/**
 * Each operation that decides a race is a single conditional update naming the send's
 * `verification_id`: the server applies it to at most one request, so a lost race simply matches
 * nothing. Every read also filters on `purge_at`, because the TTL monitor runs only once a minute.
 * Servers without atomic updates get this store behind `compat/serialised-code-store.ts`.
 */
export function createMongoCodeStore(db: Db): MongoCodeStore {
  const codes: Collection<CodeDocument> = db.collection<CodeDocument>(CODES_COLLECTION);
  const pending = (phone: string, id: string, maxAttempts: number, now: Date) => ({
    phone_number: phone,
    verification_id: id,
    verified: false,
    attempts: { $lt: maxAttempts },
    expires_at: { $gt: now },
    purge_at: { $gt: now },
  });

  return {
    get: (phone, now) =>
      guard(async () => {
        const doc = await codes.findOne({ phone_number: phone, purge_at: { $gt: now } }, { projection: { _id: 0 } });
        return doc ? fromDocument(doc) : null;
      }),
    put: (record) =>
      guard(async () => {
        // Two first sends to a phone can both try to insert; the unique index makes one fail, and its
        // retry replaces. The replaced document comes back from the same command, so restore is exact.
        const before = await upsertWithRetry(() =>
          codes.findOneAndReplace({ phone_number: record.phone }, toDocument(record), {
            upsert: true,
            returnDocument: 'before',
          }),
        );
        return before ? fromDocument(before) : null;
      }),
    restore: (phone, id, previous) =>
      guard(async () => {
        // Tied to the failed send's id: a newer send or a cancel that came in between stands.
        const filter = { phone_number: phone, verification_id: id };
        if (previous === null) return (await codes.deleteOne(filter)).deletedCount === 1;
        return (await codes.replaceOne(filter, toDocument(previous))).matchedCount === 1;
      }),
    recordWrongCheck: (phone, id, maxAttempts, now) =>
      guard(async () => {
        const doc = await codes.findOneAndUpdate(
          pending(phone, id, maxAttempts, now),
          { $inc: { attempts: 1 } },
          // No projection: FerretDB 1.x does not implement findAndModify's "fields", and the document is small.
          { returnDocument: 'after' },
        );
        return doc ? doc.attempts : null;
      }),
    approve: (phone, id, maxAttempts, now, purgeAt) =>
      guard(async () => {
        const result = await codes.updateOne(pending(phone, id, maxAttempts, now), {
          $set: { verified: true, verified_at: now, purge_at: purgeAt, code_sealed: null },
        });
        return result.modifiedCount === 1;
      }),
    recordSend: (phone, id, { attempt, messageId }) =>
      guard(async () => {
        // One write: the attempt appended and, with a message id, the delivery tracked from it.
        const result = await codes.updateOne(
          { phone_number: phone, verification_id: id },
          {
            $push: { send_attempts: { channel: attempt.channel, provider: attempt.provider, time: attempt.time } },
            ...(messageId === null
              ? {}
              : {
                  $set: {
                    message_id: messageId,
                    delivery: { status: 'queued', updated_at: attempt.time, provider: attempt.provider },
                  },
                }),
          },
        );
        return result.matchedCount === 1;
      }),
    recordDelivery: (messageId, delivery) =>
      guard(async () => {
        const result = await codes.updateOne(
          {
            // A taken message always has a delivery (setMessageId starts it at queued).
            message_id: messageId,
            'delivery.status': { $in: statusesBefore(delivery.status) },
          },
          // Field by field, so the provider recorded when the message was taken stays.
          {
            $set: {
              'delivery.status': delivery.status,
              'delivery.updated_at': delivery.updatedAt,
              ...(delivery.errorCode !== undefined ? { 'delivery.error_code': delivery.errorCode } : {}),
            },
            // A message that did not arrive makes the workflow's next step due now ($min leaves a
            // null, no next step, as it is).
            ...(delivery.status === 'undelivered' || delivery.status === 'failed'
              ? { $min: { next_step_at: delivery.updatedAt } }
              : {}),
          },
        );
        return result.modifiedCount === 1;
      }),
    dueSteps: (now, maxAttempts, limit) =>
      guard(async () =>
        (
          await codes
            .find(
              {
                next_step_at: { $lte: now },
                verified: false,
                expires_at: { $gt: now },
                attempts: { $lt: maxAttempts },
              },
              { projection: { phone_number: 1, verification_id: 1, step: 1 } },
            )
            .limit(limit)
            .toArray()
        ).map((d) => ({ phone: d.phone_number, id: d.verification_id, step: d.step ?? 0 })),
      ),
    claimStep: (phone, id, step, now, nextAt) =>
      guard(async () => {
        // Tied to the step it saw: of racing instances, only the first write matches.
        const result = await codes.updateOne(
          { phone_number: phone, verification_id: id, step, next_step_at: { $lte: now } },
          { $set: { step: step + 1, next_step_at: nextAt } },
        );
        return result.modifiedCount === 1;
      }),
    eraseExpiredSeals: (now) =>
      guard(
        async () =>
          (
            await codes.updateMany(
              { expires_at: { $lte: now }, code_sealed: { $type: 'string' } },
              { $set: { code_sealed: null } },
            )
          ).modifiedCount,
      ),
    phoneOf: (messageId) =>
      guard(async () => {
        const doc = await codes.findOne({ message_id: messageId }, { projection: { phone_number: 1 } });
        return doc?.phone_number ?? null;
      }),
    remove: (phone, now, id) =>
      guard(
        async () =>
          (
            await codes.deleteOne({
              phone_number: phone,
              purge_at: { $gt: now },
              ...(id === undefined ? {} : { verification_id: id }),
            })
          ).deletedCount === 1,
      ),
    ping: pingOf(db),
    close: async () => {},
  };
}

function toDocument(r: VerificationRecord): CodeDocument {
  return {
    phone_number: r.phone,
    verification_id: r.id,
    code_hash: r.codeHash,
    created_at: r.createdAt,
    expires_at: r.expiresAt,
    attempts: r.attempts,
    verified: r.verified,
    verified_at: r.verifiedAt,
    purge_at: r.purgeAt,
    delivery: r.delivery ? deliveryDocument(r.delivery) : null,
    message_id: r.messageId,
    ...(r.customCode ? { custom_code: true } : {}),
    ...(r.codeSealed !== undefined ? { code_sealed: r.codeSealed } : {}),
    ...(r.sendAttempts ? { send_attempts: r.sendAttempts.map((a) => ({ ...a })) } : {}),
    ...(r.step !== undefined ? { step: r.step } : {}),
    ...(r.nextStepAt !== undefined ? { next_step_at: r.nextStepAt } : {}),
  };
}

function deliveryDocument(d: Delivery): NonNullable<CodeDocument['delivery']> {
  return {
    status: d.status,
    updated_at: d.updatedAt,
    ...(d.errorCode !== undefined ? { error_code: d.errorCode } : {}),
    ...(d.provider !== undefined ? { provider: d.provider } : {}),
  };
}

function fromDocument(d: CodeDocument): VerificationRecord {
  return {
    phone: d.phone_number,
    id: d.verification_id,
    codeHash: d.code_hash,
    createdAt: d.created_at,
    expiresAt: d.expires_at,
    attempts: d.attempts,
    verified: d.verified,
    verifiedAt: d.verified_at ?? null,
    purgeAt: d.purge_at,
    delivery: d.delivery
      ? {
          status: d.delivery.status,
          updatedAt: d.delivery.updated_at,
          ...(d.delivery.error_code ? { errorCode: d.delivery.error_code } : {}),
          ...(d.delivery.provider ? { provider: d.delivery.provider } : {}),
        }
      : null,
    messageId: d.message_id ?? null,
    ...(d.custom_code ? { customCode: true } : {}),
    ...(d.code_sealed !== undefined ? { codeSealed: d.code_sealed } : {}),
    ...(d.step !== undefined ? { step: d.step } : {}),
    ...(d.next_step_at !== undefined ? { nextStepAt: d.next_step_at } : {}),
    ...(d.send_attempts
      ? { sendAttempts: d.send_attempts.map(({ channel, provider, time }) => ({ channel, provider, time })) }
      : {}),
  };
}
