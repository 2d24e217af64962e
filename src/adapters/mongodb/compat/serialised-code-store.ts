// The CodeStore for servers whose conditional updates are not atomic: every write to a phone's document under its lease lock.
import type { CodeStore } from '../../../ports/code-store.ts';
import { guard } from '../driver-errors.ts';
import type { MongoCodeStore } from '../mongo-code-store.ts';
import type { KeyLock } from './key-lock.ts';

/**
 * Serialises every write to one phone's document, across processes, so that a conditional update
 * that the server applies without isolation cannot interleave with another write. While a check
 * waits for the lock, a code that another check locked, approved or replaced meanwhile settles it:
 * the answer is "no match" without taking the lock (bursts of wrong checks).
 */
export function serialisedCodeStore(inner: MongoCodeStore, lock: KeyLock): CodeStore {
  // A lock that cannot be had (the server is gone) is an outage like any driver failure.
  const locked = <T>(phone: string, work: () => Promise<T>, settled?: () => Promise<T | undefined>) =>
    guard(() => lock.run(`code:${phone}`, work, settled));
  const stillPending = async (phone: string, id: string, maxAttempts: number, now: Date) => {
    const record = await inner.get(phone, now);
    return Boolean(
      record && record.id === id && !record.verified && record.attempts < maxAttempts && record.expiresAt > now,
    );
  };
  return {
    get: (phone, now) => inner.get(phone, now),
    put: (record) => locked(record.phone, () => inner.put(record)),
    restore: (phone, id, previous) => locked(phone, () => inner.restore(phone, id, previous)),
    recordWrongCheck: (phone, id, maxAttempts, now) =>
      locked(
        phone,
        () => inner.recordWrongCheck(phone, id, maxAttempts, now),
        async () => ((await stillPending(phone, id, maxAttempts, now)) ? undefined : null),
      ),
    approve: (phone, id, maxAttempts, now, purgeAt) =>
      locked(
        phone,
        () => inner.approve(phone, id, maxAttempts, now, purgeAt),
        async () => ((await stillPending(phone, id, maxAttempts, now)) ? undefined : false),
      ),
    recordSend: (phone, id, taken) => locked(phone, () => inner.recordSend(phone, id, taken)),
    // Locks are per phone, and the callback names only the message: find the phone first.
    recordDelivery: async (messageId, delivery) => {
      const phone = await inner.phoneOf(messageId);
      return phone === null ? false : locked(phone, () => inner.recordDelivery(messageId, delivery));
    },
    remove: (phone, now, id) => locked(phone, () => inner.remove(phone, now, id)),
    dueSteps: (now, maxAttempts, limit) => inner.dueSteps(now, maxAttempts, limit),
    // Only expired records, which no locked operation changes; a sweep that loses a race is redone by the next.
    eraseExpiredSeals: (now) => inner.eraseExpiredSeals(now),
    claimStep: (phone, id, step, now, nextAt) => locked(phone, () => inner.claimStep(phone, id, step, now, nextAt)),
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
}
