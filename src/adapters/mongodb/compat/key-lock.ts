// Per-key mutual exclusion for servers whose single-document updates are not atomic under concurrency.
import { createHash } from 'node:crypto';
import type { Db } from 'mongodb';
import { randomId } from '../../../domain/random.ts';
import { isDuplicateKey } from '../driver-errors.ts';

export const LOCKS_COLLECTION = 'sms_locks';

export interface KeyLock {
  /**
   * Runs `work` while no other caller (in any process) runs work for `key`. While it waits,
   * `settled` (when given) is asked whether the answer is already known without the lock (a
   * limit that is full by now, a code already locked): a defined value is returned at once.
   */
  run<T>(key: string, work: () => Promise<T>, settled?: () => Promise<T | undefined>): Promise<T>;
}

/** Lock documents are named by a hash of the key, so no phone number is ever stored or logged with them. */
export const lockId = (key: string): string =>
  `lock:${createHash('sha256').update(key).digest('base64url').slice(0, 22)}`;

/** Waits between attempts grow to this (ms); polling any faster floods the server the holder needs. */
const MAX_BACKOFF_MS = 100;
/** A waiter looks for a dead holder's lease only every this many attempts: the look is a write. */
const STALE_CHECK_EVERY = 8;

/**
 * A lease lock whose only atomic step is an insert under the unique `_id` index, the one
 * primitive FerretDB 1.x applies atomically (its conditional updates read and write back without
 * isolation, so 50 parallel "$inc below 5" updates can all succeed). A lease whose holder died is
 * taken over after `leaseMs`; lock documents left behind are removed by the sweeper.
 */
export function createLeaseLock(db: Db, options: { leaseMs?: number; waitMs?: number } = {}): KeyLock {
  const locks = db.collection<{ _id: string; owner: string; expires_at: Date }>(LOCKS_COLLECTION);
  const leaseMs = options.leaseMs ?? 10_000;
  const waitMs = options.waitMs ?? 10_000;
  // Callers in this process queue here first, so a burst on one key has one poller per process
  // rather than one per request: the server stays free for the holder, and each caller that
  // reaches the head can often settle by one read instead of taking the lock at all.
  const queues = new Map<string, Promise<void>>();

  const acquire = async <T>(
    _id: string,
    owner: string,
    deadline: number,
    settled?: () => Promise<T | undefined>,
  ): Promise<{ acquired: true } | { acquired: false; answer: T }> => {
    for (let attempt = 0; ; attempt++) {
      try {
        await locks.insertOne({ _id, owner, expires_at: new Date(Date.now() + leaseMs) });
        return { acquired: true };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      const answer = await settled?.();
      if (answer !== undefined) return { acquired: false, answer };
      if (Date.now() > deadline) throw new Error(`lease lock ${_id} not acquired within ${waitMs} ms`);
      if (attempt % STALE_CHECK_EVERY === STALE_CHECK_EVERY - 1)
        await locks.deleteOne({ _id, expires_at: { $lte: new Date() } });
      const backoff = Math.min(MAX_BACKOFF_MS, 4 * 2 ** attempt);
      await new Promise((done) => setTimeout(done, backoff / 2 + Math.random() * backoff));
    }
  };

  return {
    async run(key, work, settled) {
      const _id = lockId(key);
      const ahead = queues.get(_id);
      let leave!: () => void;
      const mine = new Promise<void>((done) => {
        leave = done;
      });
      const tail = (ahead ?? Promise.resolve()).then(() => mine);
      queues.set(_id, tail);
      try {
        if (ahead) {
          await ahead;
          const answer = await settled?.();
          if (answer !== undefined) return answer;
        }
        const owner = randomId();
        const taken = await acquire(_id, owner, Date.now() + waitMs, settled);
        if (!taken.acquired) return taken.answer;
        try {
          return await work();
        } finally {
          await locks.deleteOne({ _id, owner }).catch(() => undefined);
        }
      } finally {
        leave();
        if (queues.get(_id) === tail) queues.delete(_id);
      }
    },
  };
}

/** Whether the server applies conditional single-document updates atomically (MongoDB does; FerretDB 1.x does not). */
export async function hasAtomicUpdates(db: Db): Promise<{ atomic: boolean; server: string }> {
  const info = await db.admin().command({ buildInfo: 1 });
  const ferret = info['ferretdbVersion'];
  return typeof ferret === 'string'
    ? { atomic: false, server: `FerretDB ${ferret}` }
    : { atomic: true, server: `MongoDB ${String(info['version'])}` };
}
