// EventOutbox on MongoDB: sms_event_outbox, one document per event; a claim is one conditional update.
import type { Collection, Db } from 'mongodb';
import { randomId } from '../../domain/random.ts';
import type { EventOutbox, OutboxEvent } from '../../ports/event-outbox.ts';
import type { KeyLock } from './compat/key-lock.ts';
import { guard } from './driver-errors.ts';

export const OUTBOX_COLLECTION = 'sms_event_outbox';

interface OutboxDocument {
  _id: string;
  type: string;
  timestamp: Date;
  data: Record<string, unknown>;
  service_sid: string;
  attempts: number;
  next_at: Date;
  last_error: string | null;
  failed_at: Date | null;
  token: string | null;
  /** Failed events only: when the TTL index (or the sweeper) removes them. */
  expires_at?: Date;
}

const fromDocument = (d: OutboxDocument): OutboxEvent => ({
  id: d._id,
  type: d.type,
  timestamp: d.timestamp,
  data: d.data,
  serviceSid: d.service_sid,
  attempts: d.attempts,
  nextAt: d.next_at,
  lastError: d.last_error,
  failedAt: d.failed_at,
});

/**
 * A claim moves `next_at` past the lease and sets a fresh token, on the condition that `next_at`
 * is still what the scan saw: of concurrent claimers exactly one's update matches. On a server
 * whose conditional updates are not atomic (FerretDB 1.x), `lock` serialises each event's changes.
 */
export function createMongoEventOutbox(db: Db, lock?: KeyLock): EventOutbox {
  const events: Collection<OutboxDocument> = db.collection(OUTBOX_COLLECTION);
  const locked = <T>(id: string, work: () => Promise<T>) => (lock ? lock.run(`outbox:${id}`, work) : work());
  const held = (id: string, token: string) => ({ _id: id, token, failed_at: null });
  return {
    add: (event) =>
      guard(async () => {
        await events.insertOne({
          _id: event.id,
          type: event.type,
          timestamp: event.timestamp,
          data: { ...event.data },
          service_sid: event.serviceSid,
          attempts: event.attempts,
          next_at: event.nextAt,
          last_error: event.lastError,
          failed_at: event.failedAt,
          token: null,
        });
      }),
    claim: (now, leaseMs, limit) =>
      guard(async () => {
        const due = await events
          .find({ failed_at: null, next_at: { $lte: now } })
          .sort({ next_at: 1 })
          .limit(limit)
          .toArray();
        const claimed = await Promise.all(
          due.map((doc) =>
            locked(doc._id, async () => {
              const token = randomId();
              const next = new Date(now.getTime() + leaseMs);
              const result = await events.updateOne(
                { _id: doc._id, failed_at: null, next_at: doc.next_at },
                { $set: { next_at: next, token } },
              );
              return result.modifiedCount === 1 ? { event: fromDocument({ ...doc, next_at: next }), token } : null;
            }),
          ),
        );
        return claimed.filter((c) => c !== null);
      }),
    delivered: (id, token) =>
      guard(() => locked(id, async () => (await events.deleteOne(held(id, token))).deletedCount === 1)),
    retry: (id, token, nextAt, error) =>
      guard(() =>
        locked(
          id,
          async () =>
            (
              await events.updateOne(held(id, token), {
                $set: { next_at: nextAt, last_error: error, token: null },
                $inc: { attempts: 1 },
              })
            ).modifiedCount === 1,
        ),
      ),
    fail: (id, token, error, now, keepUntil) =>
      guard(() =>
        locked(
          id,
          async () =>
            (
              await events.updateOne(held(id, token), {
                $set: { failed_at: now, last_error: error, token: null, expires_at: keepUntil },
                $inc: { attempts: 1 },
              })
            ).modifiedCount === 1,
        ),
      ),
    failed: (limit) =>
      guard(async () =>
        (
          await events
            .find({ failed_at: { $ne: null } })
            .sort({ failed_at: -1 })
            .limit(limit)
            .toArray()
        ).map(fromDocument),
      ),
    redeliver: (id, now) =>
      guard(() =>
        locked(
          id,
          async () =>
            (
              await events.updateOne(
                { _id: id, failed_at: { $ne: null } },
                { $set: { failed_at: null, attempts: 0, next_at: now, token: null }, $unset: { expires_at: '' } },
              )
            ).modifiedCount === 1,
        ),
      ),
    ping: () =>
      guard(async () => {
        await db.command({ ping: 1 });
      }),
  };
}
