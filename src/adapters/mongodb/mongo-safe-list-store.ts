// SafeListStore on MongoDB: sms_safe_list, one document per number or prefix (its _id).
import type { Collection, Db } from 'mongodb';
import type { SafeListEntry, SafeListStore } from '../../ports/safe-list-store.ts';
import { guard, isDuplicateKey } from './driver-errors.ts';

export const SAFE_LIST_COLLECTION = 'sms_safe_list';

interface SafeListDocument {
  _id: string;
  sid: string;
  created_at: Date;
}

const fromDocument = (d: SafeListDocument): SafeListEntry => ({
  sid: d.sid,
  phoneNumber: d._id,
  createdAt: d.created_at,
});

export function createMongoSafeListStore(db: Db): SafeListStore {
  const entries: Collection<SafeListDocument> = db.collection(SAFE_LIST_COLLECTION);
  return {
    add: (entry) =>
      guard(async () => {
        try {
          await entries.insertOne({ _id: entry.phoneNumber, sid: entry.sid, created_at: entry.createdAt });
          return entry;
        } catch (error) {
          // Added meanwhile by another request or instance: theirs stands.
          if (!isDuplicateKey(error)) throw error;
          const found = await entries.findOne({ _id: entry.phoneNumber });
          if (!found) throw error;
          return fromDocument(found);
        }
      }),
    get: (phoneNumber) =>
      guard(async () => {
        const found = await entries.findOne({ _id: phoneNumber });
        return found ? fromDocument(found) : null;
      }),
    remove: (phoneNumber) => guard(async () => (await entries.deleteOne({ _id: phoneNumber })).deletedCount === 1),
    list: () =>
      guard(async () => (await entries.find({}).sort({ created_at: 1 }).limit(10_000).toArray()).map(fromDocument)),
    ping: () =>
      guard(async () => {
        await db.command({ ping: 1 });
      }),
  };
}
