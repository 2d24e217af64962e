// AttemptStore on MongoDB: one document per attempt in sms_attempts, kept by a TTL index.
import type { Collection, Db, Filter } from 'mongodb';
import {
  type AttemptFilter,
  type AttemptRecord,
  cursorAfter,
  parseCursor,
  totals,
} from '../../domain/attempts/attempt.ts';
import type { Channel } from '../../domain/verification/channel.ts';
import { statusesBefore } from '../../domain/verification/delivery.ts';
import type { DeliveryStatus } from '../../domain/verification/verification-record.ts';
import type { AttemptStore } from '../../ports/attempt-store.ts';
import { guard } from './driver-errors.ts';

export const ATTEMPTS_COLLECTION = 'sms_attempts';

export interface AttemptDocument {
  _id: string;
  verification_id: string;
  verification_sid: string;
  service_sid: string;
  channel: Channel;
  provider: string;
  country: string | null;
  prefix: string;
  phone_tail: string;
  message_id: string | null;
  delivery_status: DeliveryStatus | null;
  converted: boolean;
  created_at: Date;
  updated_at: Date;
  /** When the TTL index (or the sweeper) removes it. */
  expires_at: Date;
}

const GROUP_FIELDS = { country: 'country', channel: 'channel', provider: 'provider', prefix: 'prefix' } as const;

function toDocument(a: AttemptRecord, retentionMs: number): AttemptDocument {
  return {
    _id: a.sid,
    verification_id: a.verificationId,
    verification_sid: a.verificationSid,
    service_sid: a.serviceSid,
    channel: a.channel,
    provider: a.provider,
    country: a.country,
    prefix: a.prefix,
    phone_tail: a.phoneTail,
    message_id: a.messageId,
    delivery_status: a.deliveryStatus,
    converted: a.converted,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
    expires_at: new Date(a.createdAt.getTime() + retentionMs),
  };
}

function fromDocument(d: AttemptDocument): AttemptRecord {
  return {
    sid: d._id,
    verificationId: d.verification_id,
    verificationSid: d.verification_sid,
    serviceSid: d.service_sid,
    channel: d.channel,
    provider: d.provider,
    country: d.country,
    prefix: d.prefix,
    phoneTail: d.phone_tail,
    messageId: d.message_id,
    deliveryStatus: d.delivery_status,
    converted: d.converted,
    createdAt: d.created_at,
    updatedAt: d.updated_at,
  };
}

/** The query of a filter: equality on the indexed fields, a range on created_at. */
export function attemptQuery(f: AttemptFilter): Filter<AttemptDocument> {
  const query: Filter<AttemptDocument> = {};
  if (f.serviceSid !== undefined) query.service_sid = f.serviceSid;
  if (f.verificationSid !== undefined) query.verification_sid = f.verificationSid;
  if (f.messageId !== undefined) query.message_id = f.messageId;
  if (f.country !== undefined) query.country = f.country;
  if (f.channel !== undefined) query.channel = f.channel;
  if (f.provider !== undefined) query.provider = f.provider;
  if (f.prefix !== undefined) query.prefix = f.prefix;
  if (f.converted !== undefined) query.converted = f.converted;
  if (f.from !== undefined || f.to !== undefined)
    query.created_at = { ...(f.from ? { $gte: f.from } : {}), ...(f.to ? { $lt: f.to } : {}) };
  return query;
}

/** Sorted newest first on the {created_at, _id} index, so a page is one index walk from its cursor. */
export function createMongoAttemptStore(db: Db, retentionMs = 30 * 86_400_000): AttemptStore {
  const attempts: Collection<AttemptDocument> = db.collection(ATTEMPTS_COLLECTION);
  return {
    add: (attempt) =>
      guard(async () => {
        await attempts.insertOne(toDocument(attempt, retentionMs));
      }),
    recordDelivery: (messageId, status, at) =>
      guard(async () => {
        const result = await attempts.updateOne(
          {
            message_id: messageId,
            $or: [{ delivery_status: null }, { delivery_status: { $in: statusesBefore(status) } }],
          },
          { $set: { delivery_status: status, updated_at: at } },
        );
        return result.modifiedCount === 1;
      }),
    markConverted: (verificationId, at) =>
      guard(async () => {
        const result = await attempts.updateMany(
          { verification_id: verificationId, converted: false },
          { $set: { converted: true, updated_at: at } },
        );
        return result.modifiedCount;
      }),
    get: (sid) =>
      guard(async () => {
        const found = await attempts.findOne({ _id: sid });
        return found ? fromDocument(found) : null;
      }),
    list: (filter, { limit, after }) =>
      guard(async () => {
        const query = attemptQuery(filter);
        const cursor = after === undefined ? null : parseCursor(after);
        const paged: Filter<AttemptDocument> = cursor
          ? {
              $and: [
                query,
                {
                  $or: [
                    { created_at: { $lt: new Date(cursor.time) } },
                    { created_at: new Date(cursor.time), _id: { $lt: cursor.sid } },
                  ],
                },
              ],
            }
          : query;
        const found = await attempts
          .find(paged)
          .sort({ created_at: -1, _id: -1 })
          .limit(limit + 1)
          .toArray();
        const page = found.slice(0, limit).map(fromDocument);
        return { attempts: page, next: found.length > limit ? cursorAfter(page.at(-1)!) : null };
      }),
    summary: (filter, groupBy) =>
      guard(async () => {
        const query = attemptQuery(filter);
        const [all, converted] = await Promise.all([
          attempts.countDocuments(query),
          attempts.countDocuments({ ...query, converted: true }),
        ]);
        if (!groupBy) return totals(all, converted);
        // Two groupings (all, converted) rather than one with $cond, which not every
        // MongoDB-compatible server evaluates; each is one pass over the same index range.
        const field = `$${GROUP_FIELDS[groupBy]}`;
        const group = (match: Filter<AttemptDocument>) =>
          attempts
            .aggregate<{ _id: string | null; n: number }>([
              { $match: match },
              { $group: { _id: field, n: { $sum: 1 } } },
            ])
            .toArray();
        const [byKey, convertedByKey] = await Promise.all([group(query), group({ ...query, converted: true })]);
        const convertedOf = new Map(convertedByKey.map((g) => [String(g._id ?? 'unknown'), g.n]));
        const groups = byKey
          .map((g) => ({
            key: String(g._id ?? 'unknown'),
            ...totals(g.n, convertedOf.get(String(g._id ?? 'unknown')) ?? 0),
          }))
          .sort((a, b) => b.totalAttempts - a.totalAttempts || (a.key < b.key ? -1 : 1));
        return { ...totals(all, converted), groups };
      }),
    ping: () =>
      guard(async () => {
        await db.command({ ping: 1 });
      }),
  };
}
