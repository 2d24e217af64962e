// The FraudStore for servers whose updates are not atomic: counters and blocks changed under their lease locks.
import type { FraudStore } from '../../../ports/fraud-store.ts';
import { guard } from '../driver-errors.ts';
import type { KeyLock } from './key-lock.ts';

/**
 * A count holds the locks of every counter it changes (taken in sorted order, so two counts of
 * one prefix and country never wait for each other in a ring), so that each sees its own total;
 * a block or a lift holds its prefix's lock, so that exactly one of racing callers records it.
 */
export function serialisedFraudStore(inner: FraudStore, lock: KeyLock): FraudStore {
  const holding = <T>(keys: readonly string[], work: () => Promise<T>): Promise<T> =>
    guard(() => [...new Set(keys)].sort().reduceRight((next, key) => () => lock.run(key, next), work)());
  return {
    count: (change) =>
      holding(
        change.keys.map((key) => `fraud:${key}|${change.bucket.getTime()}`),
        () => inner.count(change),
      ),
    blockOf: (prefix) => inner.blockOf(prefix),
    blocksOf: (prefixes) => inner.blocksOf(prefixes),
    block: (block, now, keepUntil) =>
      holding([`fraud-block:${block.prefix}`], () => inner.block(block, now, keepUntil)),
    activeBlocks: (now) => inner.activeBlocks(now),
    lift: (prefix, now) => holding([`fraud-block:${prefix}`], () => inner.lift(prefix, now)),
    ping: () => inner.ping(),
  };
}
