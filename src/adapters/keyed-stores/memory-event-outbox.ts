// In-memory EventOutbox: exact across the callers of one process, because each call decides synchronously.
import { randomId } from '../../domain/random.ts';
import type { EventOutbox, OutboxEvent } from '../../ports/event-outbox.ts';
import { mapTable, type Table } from './table.ts';

interface Stored {
  readonly event: OutboxEvent;
  readonly token: string | null;
  /** Failed events only: when they go. */
  readonly keepUntil: number | null;
}

/** At most `maxEntries` events wait (the oldest go first when full, counted by `onDrop`). */
export function createMemoryEventOutbox(
  options: { maxEntries?: number; onDrop?: () => void; table?: Table<Stored> } = {},
): EventOutbox {
  const entries = options.table ?? mapTable<Stored>();
  const maxEntries = options.maxEntries ?? 100_000;
  const held = (id: string, token: string) => {
    const s = entries.get(id);
    return s && s.token === token && s.event.failedAt === null ? s : undefined;
  };
  return {
    async add(event) {
      if (entries.size >= maxEntries) {
        const oldest = [...entries].sort((a, b) => a[1].event.timestamp.getTime() - b[1].event.timestamp.getTime())[0];
        if (oldest) entries.delete(oldest[0]);
        options.onDrop?.();
      }
      entries.set(event.id, { event, token: null, keepUntil: null });
    },
    async claim(now, leaseMs, limit) {
      // Entries are in the order they were added: the first `limit` due ones are, with a backlog,
      // at the front, so a pass reads about `limit` entries rather than sorting the whole outbox.
      const due: Stored[] = [];
      for (const [, s] of entries) {
        if (s.event.failedAt === null && s.event.nextAt.getTime() <= now.getTime()) due.push(s);
        if (due.length >= limit) break;
      }
      due.sort((a, b) => a.event.nextAt.getTime() - b.event.nextAt.getTime());
      return due.map((s) => {
        const token = randomId();
        const event = { ...s.event, nextAt: new Date(now.getTime() + leaseMs) };
        entries.set(event.id, { ...s, event, token });
        return { event, token };
      });
    },
    async delivered(id, token) {
      return held(id, token) ? entries.delete(id) : false;
    },
    async retry(id, token, nextAt, error) {
      const s = held(id, token);
      if (!s) return false;
      entries.set(id, {
        ...s,
        token: null,
        event: { ...s.event, attempts: s.event.attempts + 1, nextAt, lastError: error },
      });
      return true;
    },
    async fail(id, token, error, now, keepUntil) {
      const s = held(id, token);
      if (!s) return false;
      const event = { ...s.event, attempts: s.event.attempts + 1, lastError: error, failedAt: now };
      entries.set(id, { event, token: null, keepUntil: keepUntil.getTime() });
      return true;
    },
    async failed(limit) {
      const now = Date.now();
      for (const [id, s] of entries) if (s.keepUntil !== null && s.keepUntil <= now) entries.delete(id);
      return [...entries]
        .map(([, s]) => s.event)
        .filter((e) => e.failedAt !== null)
        .sort((a, b) => b.failedAt!.getTime() - a.failedAt!.getTime())
        .slice(0, limit);
    },
    async redeliver(id, now) {
      const s = entries.get(id);
      if (!s || s.event.failedAt === null) return false;
      const event = { ...s.event, attempts: 0, nextAt: now, failedAt: null, lastError: s.event.lastError };
      entries.set(id, { event, token: null, keepUntil: null });
      return true;
    },
    async ping() {},
  };
}
