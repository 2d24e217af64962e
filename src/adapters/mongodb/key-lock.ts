// Per-key mutual exclusion for servers whose single-document updates are not atomic under concurrency.
import type { Db } from 'mongodb';
import { randomId } from '../../domain/random.ts';
import { isDuplicateKey } from './driver-errors.ts';

export const LOCKS_COLLECTION = 'sms_locks';

export interface KeyLock {
  /** False when `run` simply runs the work: callers may then skip work done only to name a key. */
  readonly serialises: boolean;
  /** Runs `work` while no other caller (in any process) runs work for `key`. */
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

/** MongoDB applies each single-document update atomically: nothing to serialise. */
export const noKeyLock: KeyLock = { serialises: false, run: (_key, work) => work() };

/**
 * A lease lock whose only atomic step is an insert under the unique `_id` index, the one
 * primitive FerretDB 1.x applies atomically (its conditional updates read and write back without
 * isolation, so 50 parallel "$inc below 5" updates can all succeed). A lease whose holder died is
 * taken over after `leaseMs`.
 */
export function createLeaseLock(db: Db, options: { leaseMs?: number; waitMs?: number } = {}): KeyLock {
  const locks = db.collection<{ _id: string; owner: string; expires_at: Date }>(LOCKS_COLLECTION);
  const leaseMs = options.leaseMs ?? 10_000;
  const waitMs = options.waitMs ?? 10_000;
  return {
    serialises: true,
    async run(key, work) {
      const owner = randomId();
      const deadline = Date.now() + waitMs;
      for (let attempt = 0; ; attempt++) {
        try {
          await locks.insertOne({ _id: key, owner, expires_at: new Date(Date.now() + leaseMs) });
          break;
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
        }
        if (Date.now() > deadline) throw new Error(`lock ${key} not acquired within ${waitMs} ms`);
        await locks.deleteOne({ _id: key, expires_at: { $lte: new Date() } });
        const backoff = Math.min(50, 2 + attempt * 2);
        await new Promise((done) => setTimeout(done, backoff / 2 + Math.random() * backoff));
      }
      try {
        return await work();
      } finally {
        await locks.deleteOne({ _id: key, owner }).catch(() => undefined);
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
