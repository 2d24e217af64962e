// In-memory AttemptStore: attempts by sid with message-id and verification indexes, for one process.
import {
  type AttemptRecord,
  cursorAfter,
  isAfter,
  matches,
  newestFirst,
  parseCursor,
  totals,
} from '../../domain/attempts/attempt.ts';
import { deliveryMayMove } from '../../domain/verification/delivery.ts';
import type { AttemptStore } from '../../ports/attempt-store.ts';
import { mapTable, type Table } from './table.ts';

export interface MemoryAttemptOptions {
  /** How long an attempt is kept after it was made; default 30 days. */
  readonly retentionMs?: number;
  /** At most this many attempts are kept, the oldest going first; default 100,000. */
  readonly maxEntries?: number;
  /** The time that retention counts from (MongoDB's TTL monitor uses the server's clock). */
  readonly now?: () => Date;
  readonly tables?: {
    readonly attempts: Table<AttemptRecord>;
    readonly byMessageId: Table<string>;
    /** Verification id → its attempts' sids. */
    readonly byVerification: Table<readonly string[]>;
  };
}

/**
 * Lists and summaries scan every kept attempt: bounded by `maxEntries`, which is what an operator's
 * page and a console chart over a day or a week need on one instance. Expired attempts are
 * dropped whenever the table has doubled since the last sweep.
 */
export function createMemoryAttemptStore(options: MemoryAttemptOptions = {}): AttemptStore & { size(): number } {
  const retentionMs = options.retentionMs ?? 30 * 86_400_000;
  const now = () => (options.now?.() ?? new Date()).getTime();
  const maxEntries = options.maxEntries ?? 100_000;
  const attempts = options.tables?.attempts ?? mapTable<AttemptRecord>();
  const byMessageId = options.tables?.byMessageId ?? mapTable<string>();
  const byVerification = options.tables?.byVerification ?? mapTable<readonly string[]>();
  let sweepAt = Math.min(1024, maxEntries);

  const drop = (a: AttemptRecord) => {
    attempts.delete(a.sid);
    if (a.messageId) byMessageId.delete(a.messageId);
    const left = (byVerification.get(a.verificationId) ?? []).filter((sid) => sid !== a.sid);
    if (left.length === 0) byVerification.delete(a.verificationId);
    else byVerification.set(a.verificationId, left);
  };
  const sweep = (now: number) => {
    const all = [...attempts].map(([, a]) => a);
    for (const a of all) if (a.createdAt.getTime() + retentionMs <= now) drop(a);
    if (attempts.size >= maxEntries) {
      const kept = [...attempts].map(([, a]) => a).sort(newestFirst);
      for (const a of kept.slice(Math.floor(maxEntries * 0.9))) drop(a);
    }
    sweepAt = Math.min(maxEntries, Math.max(1024, attempts.size * 2));
  };
  const live = (now: number) =>
    [...attempts].map(([, a]) => a).filter((a) => a.createdAt.getTime() + retentionMs > now);

  return {
    async add(attempt) {
      attempts.set(attempt.sid, attempt);
      if (attempt.messageId) byMessageId.set(attempt.messageId, attempt.sid);
      byVerification.set(attempt.verificationId, [...(byVerification.get(attempt.verificationId) ?? []), attempt.sid]);
      if (attempts.size >= sweepAt) sweep(attempt.createdAt.getTime());
    },
    async recordDelivery(messageId, status, at) {
      const sid = byMessageId.get(messageId);
      const attempt = sid === undefined ? undefined : attempts.get(sid);
      if (!attempt || !deliveryMayMove(attempt.deliveryStatus, status)) return false;
      attempts.set(attempt.sid, { ...attempt, deliveryStatus: status, updatedAt: at });
      return true;
    },
    async markConverted(verificationId, at) {
      let changed = 0;
      for (const sid of byVerification.get(verificationId) ?? []) {
        const attempt = attempts.get(sid);
        if (!attempt || attempt.converted) continue;
        attempts.set(sid, { ...attempt, converted: true, updatedAt: at });
        changed += 1;
      }
      return changed;
    },
    async get(sid) {
      return attempts.get(sid) ?? null;
    },
    async list(filter, { limit, after }) {
      const cursor = after === undefined ? null : parseCursor(after);
      const selected = live(now())
        .filter((a) => matches(a, filter) && (!cursor || isAfter(a, cursor)))
        .sort(newestFirst);
      const page = selected.slice(0, limit);
      return { attempts: page, next: selected.length > limit ? cursorAfter(page.at(-1)!) : null };
    },
    async summary(filter, groupBy) {
      const selected = live(now()).filter((a) => matches(a, filter));
      const all = totals(selected.length, selected.filter((a) => a.converted).length);
      if (!groupBy) return all;
      const byKey = new Map<string, { n: number; c: number }>();
      for (const a of selected) {
        const key = String(a[groupBy] ?? 'unknown');
        const t = byKey.get(key) ?? { n: 0, c: 0 };
        byKey.set(key, { n: t.n + 1, c: t.c + Number(a.converted) });
      }
      const groups = [...byKey]
        .map(([key, t]) => ({ key, ...totals(t.n, t.c) }))
        .sort((a, b) => b.totalAttempts - a.totalAttempts || (a.key < b.key ? -1 : 1));
      return { ...all, groups };
    },
    async ping() {},
    size: () => attempts.size,
  };
}
