// In-memory CodeStore: exact under concurrency in one process, because each operation is synchronous.

import { deliveryMayMove } from '../../domain/delivery.ts';
import type { Delivery, VerificationRecord } from '../../domain/verification-record.ts';
import type { CodeStore } from '../../ports/code-store.ts';

/**
 * Records live in a Map; every operation runs to completion without awaiting, so concurrent
 * requests in this process see each other's writes in order. Purged records are dropped whenever
 * the map has doubled since the last sweep, which keeps memory bounded at amortised O(1) a write.
 */
export function createMemoryCodeStore(): CodeStore & { size(): number } {
  const records = new Map<string, VerificationRecord>();
  const byMessageId = new Map<string, string>();
  let sweepAt = 1024;

  const live = (phone: string, now: Date) => {
    const record = records.get(phone);
    return record && record.purgeAt.getTime() > now.getTime() ? record : undefined;
  };
  const pending = (phone: string, id: string, maxAttempts: number, now: Date) => {
    const record = live(phone, now);
    const ok =
      record && record.id === id && !record.verified && record.attempts < maxAttempts && record.expiresAt > now;
    return ok ? record : undefined;
  };
  const sweep = (now: Date) => {
    for (const [phone, record] of records) {
      if (record.purgeAt.getTime() <= now.getTime()) {
        records.delete(phone);
        if (record.messageId) byMessageId.delete(record.messageId);
      }
    }
    sweepAt = Math.max(1024, records.size * 2);
  };

  return {
    async get(phone, now) {
      return live(phone, now) ?? null;
    },
    async put(record) {
      const previous = records.get(record.phone);
      if (previous?.messageId) byMessageId.delete(previous.messageId);
      records.set(record.phone, record);
      if (records.size >= sweepAt) sweep(record.createdAt);
    },
    async recordWrongCheck(phone, id, maxAttempts, now) {
      const record = pending(phone, id, maxAttempts, now);
      if (!record) return null;
      records.set(phone, { ...record, attempts: record.attempts + 1 });
      return record.attempts + 1;
    },
    async approve(phone, id, maxAttempts, now, purgeAt) {
      const record = pending(phone, id, maxAttempts, now);
      if (!record) return false;
      records.set(phone, { ...record, verified: true, verifiedAt: now, purgeAt });
      return true;
    },
    async setMessageId(phone, id, messageId, takenAt) {
      const record = records.get(phone);
      if (!record || record.id !== id) return false;
      records.set(phone, { ...record, messageId, delivery: { status: 'queued', updatedAt: takenAt } });
      byMessageId.set(messageId, phone);
      return true;
    },
    async recordDelivery(messageId: string, delivery: Delivery) {
      const phone = byMessageId.get(messageId);
      const record = phone === undefined ? undefined : records.get(phone);
      if (!record || record.messageId !== messageId) return false;
      if (!deliveryMayMove(record.delivery?.status ?? null, delivery.status)) return false;
      records.set(record.phone, { ...record, delivery });
      return true;
    },
    async remove(phone, now) {
      const record = live(phone, now);
      records.delete(phone);
      if (record?.messageId) byMessageId.delete(record.messageId);
      return record !== undefined;
    },
    async ping() {},
    async close() {},
    size: () => records.size,
  };
}
