// Keeps one service's codes and per-phone limits apart from every other service's in shared stores.

import { limitOn } from '../domain/limits/limit-rules.ts';
import type { SendLimit } from '../domain/limits/send-limit.ts';
import type { VerificationRecord } from '../domain/verification/verification-record.ts';
import type { CodeStore } from '../ports/code-store.ts';
import type { SendLimitStore } from '../ports/send-limit-store.ts';

/**
 * The store key of `phone` within service `sid`. The prefix holds no `+`, so it can never equal
 * an E.164 number: the default service, which stores bare numbers, cannot collide with a service.
 */
const scopedPhone = (sid: string, phone: string) => `${sid}:${phone}`;

/** A CodeStore that files every record under `sid`; callers still see bare numbers. */
export function scopeCodeStore(store: CodeStore, sid: string): CodeStore {
  const key = (phone: string) => scopedPhone(sid, phone);
  const bare = (record: VerificationRecord | null) =>
    record && { ...record, phone: record.phone.slice(sid.length + 1) };
  return {
    get: async (phone, now) => bare(await store.get(key(phone), now)),
    put: async (record) => bare(await store.put({ ...record, phone: key(record.phone) })),
    restore: (phone, id, previous) =>
      store.restore(key(phone), id, previous && { ...previous, phone: key(previous.phone) }),
    recordWrongCheck: (phone, id, maxAttempts, now) => store.recordWrongCheck(key(phone), id, maxAttempts, now),
    approve: (phone, id, maxAttempts, now, purgeAt) => store.approve(key(phone), id, maxAttempts, now, purgeAt),
    recordSend: (phone, id, taken) => store.recordSend(key(phone), id, taken),
    // Message ids are the provider's, unique across services.
    recordDelivery: (messageId, delivery) => store.recordDelivery(messageId, delivery),
    remove: (phone, now, id) => store.remove(key(phone), now, id),
    // The store's scan covers every service: this one's are those filed under its sid.
    dueSteps: async (now, maxAttempts, limit) =>
      (await store.dueSteps(now, maxAttempts, limit))
        .filter((due) => due.phone.startsWith(`${sid}:`))
        .map((due) => ({ ...due, phone: due.phone.slice(sid.length + 1) })),
    claimStep: (phone, id, step, now, nextAt) => store.claimStep(key(phone), id, step, now, nextAt),
    eraseExpiredSeals: (now) => store.eraseExpiredSeals(now),
    ping: () => store.ping(),
    close: () => store.close(),
  };
}

/**
 * A SendLimitStore that charges per-phone limits under `sid` and every other limit as it is, so the
 * abuse controls (per IP, per prefix, daily budget) stay shared by every service. A limit key is
 * `kind:rest`; the scoped one keeps its kind first, so reasons and metrics read the same.
 */
export function scopeSendLimits(store: SendLimitStore, sid: string): SendLimitStore {
  const scoped = (limits: readonly SendLimit[]) =>
    limits.map((limit) => {
      // Only a phone's sends are the service's own: IP, prefix and budget limits, and the phone's
      // guess window, which caps wrong guesses per phone across services, are shared.
      return limit.scope === 'phone' ? { ...limit, ...limitOn('phone', scopedPhone(sid, limit.subject)) } : limit;
    });
  return {
    admit: async (chargeId, limits, now) => {
      const admission = await store.admit(chargeId, scoped(limits), now);
      // States come back in the order of `limits`, under the keys the caller gave.
      return { ...admission, states: admission.states.map((state, i) => ({ ...state, key: limits[i]!.key })) };
    },
    refund: (chargeId, limits) => store.refund(chargeId, scoped(limits)),
    ping: () => store.ping(),
    close: () => store.close(),
  };
}
