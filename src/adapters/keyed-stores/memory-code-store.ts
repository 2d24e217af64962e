// In-memory CodeStore: exact under concurrency in one process, because each operation is synchronous;
// over a Durable Object's storage (its Table) the same rules are one object's transaction.

import { deliveryMayMove } from '../../domain/verification/delivery.ts';
import type { Delivery, VerificationRecord } from '../../domain/verification/verification-record.ts';
import type { CodeStore } from '../../ports/code-store.ts';
import { mapTable, type Table } from './table.ts';

export interface MemoryStoreOptions {
  /** At most this many entries are kept; default 100,000. */
  readonly maxEntries?: number;
  /** Told how many live entries were dropped to stay within `maxEntries`. */
  readonly onEvict?: (live: number) => void;
  /** Where records and the message-id index live; Maps unless given (a Durable Object's storage). */
  readonly tables?: { readonly records: Table<VerificationRecord>; readonly byMessageId: Table<string> };
}

/**
 * Records live in a Map; every operation runs to completion without awaiting, so concurrent
 * requests in this process see each other's writes in order. Purged records are dropped whenever
 * the map has doubled since the last sweep, which keeps memory bounded at amortised O(1) a write.
 * At `maxEntries` purged and expired records go first, then the oldest sends (a late check of an
 * evicted code answers SMS_006 instead of SMS_003 or a match).
 */
export function createMemoryCodeStore(options: MemoryStoreOptions = {}): CodeStore & { size(): number } {
  const records = options.tables?.records ?? mapTable<VerificationRecord>();
  const byMessageId = options.tables?.byMessageId ?? mapTable<string>();
  const maxEntries = options.maxEntries ?? 100_000;
  let sweepAt = Math.min(1024, maxEntries);

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
  const drop = (phone: string, record: VerificationRecord) => {
    records.delete(phone);
    if (record.messageId) byMessageId.delete(record.messageId);
  };
  const sweep = (now: Date) => {
    for (const [phone, record] of records) if (record.purgeAt.getTime() <= now.getTime()) drop(phone, record);
    if (records.size >= maxEntries) {
      // Full of live records: expired codes go first, then the oldest, down to 90 % so that
      // the next sweep is 10 % of the cap away (amortised O(1) a write).
      const target = Math.floor(maxEntries * 0.9);
      for (const [phone, record] of records)
        if (records.size > target && !record.verified && record.expiresAt <= now) drop(phone, record);
      let evicted = 0;
      for (const [phone, record] of records) {
        if (records.size <= target) break;
        drop(phone, record);
        evicted++;
      }
      if (evicted > 0) options.onEvict?.(evicted);
    }
    sweepAt = Math.min(maxEntries, Math.max(1024, records.size * 2));
  };

  return {
    async get(phone, now) {
      return live(phone, now) ?? null;
    },
    async put(record) {
      const previous = records.get(record.phone);
      // Deleted first so that the Map's order stays the order of sends: the oldest is evicted first.
      if (previous) drop(record.phone, previous);
      records.set(record.phone, record);
      if (records.size >= sweepAt) sweep(record.createdAt);
      return previous ?? null;
    },
    async restore(phone, id, previous) {
      const record = records.get(phone);
      if (!record || record.id !== id) return false;
      drop(phone, record);
      if (previous) {
        records.set(phone, previous);
        if (previous.messageId) byMessageId.set(previous.messageId, phone);
      }
      return true;
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
      records.set(phone, { ...record, verified: true, verifiedAt: now, purgeAt, codeSealed: null });
      return true;
    },
    async recordSend(phone, id, { attempt, messageId }) {
      const record = records.get(phone);
      if (!record || record.id !== id) return false;
      const sendAttempts = [...(record.sendAttempts ?? []), attempt];
      if (messageId === null) {
        records.set(phone, { ...record, sendAttempts });
        return true;
      }
      if (record.messageId) byMessageId.delete(record.messageId);
      const delivery = { status: 'queued', updatedAt: attempt.time, provider: attempt.provider } as const;
      records.set(phone, { ...record, sendAttempts, messageId, delivery });
      byMessageId.set(messageId, phone);
      return true;
    },
    async recordDelivery(messageId: string, delivery: Delivery) {
      const phone = byMessageId.get(messageId);
      const record = phone === undefined ? undefined : records.get(phone);
      if (!record || record.messageId !== messageId) return false;
      if (!deliveryMayMove(record.delivery?.status ?? null, delivery.status)) return false;
      const provider = record.delivery?.provider;
      // A message that did not arrive makes the workflow's next step due now.
      const failed = delivery.status === 'undelivered' || delivery.status === 'failed';
      const hurry =
        failed && record.nextStepAt && record.nextStepAt > delivery.updatedAt ? { nextStepAt: delivery.updatedAt } : {};
      records.set(record.phone, { ...record, ...hurry, delivery: { ...delivery, ...(provider ? { provider } : {}) } });
      return true;
    },
    async remove(phone, now, id) {
      const record = live(phone, now);
      if (record && id !== undefined && record.id !== id) return false;
      records.delete(phone);
      if (record?.messageId) byMessageId.delete(record.messageId);
      return record !== undefined;
    },
    async dueSteps(now, maxAttempts, limit) {
      const due: { phone: string; id: string; step: number }[] = [];
      for (const [phone, r] of records) {
        if (due.length >= limit) break;
        if (r.nextStepAt && r.nextStepAt <= now && !r.verified && r.expiresAt > now && r.attempts < maxAttempts)
          due.push({ phone, id: r.id, step: r.step ?? 0 });
      }
      return due;
    },
    async eraseExpiredSeals(now) {
      let erased = 0;
      for (const [phone, r] of records)
        if (r.codeSealed && r.expiresAt <= now) {
          records.set(phone, { ...r, codeSealed: null });
          erased += 1;
        }
      return erased;
    },
    async claimStep(phone, id, step, now, nextAt) {
      const r = records.get(phone);
      if (!r || r.id !== id || (r.step ?? 0) !== step || !r.nextStepAt || r.nextStepAt > now) return false;
      records.set(phone, { ...r, step: step + 1, nextStepAt: nextAt });
      return true;
    },
    async ping() {},
    async close() {},
    size: () => records.size,
  };
}
