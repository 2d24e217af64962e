// The LimitLedger for servers whose conditional updates are not atomic: each key charged under its lease lock, quotas in shards.
import { shardQuotas } from '../../../application/sharded-quotas.ts';
import { admits } from '../../../domain/limits/limit-arithmetic.ts';
import type { SendLimit } from '../../../domain/limits/send-limit.ts';
import type { ChargeResult, LimitLedger, LimitSnapshot } from '../../../ports/limit-ledger.ts';
import { guard } from '../driver-errors.ts';
import type { KeyLock } from './key-lock.ts';

/** Shards of a quota: behind a lease lock one global key (the daily budget) would serialise every send. */
const QUOTA_SHARDS = 16;

/**
 * Holding a key's lock, nothing else writes it: a charge reads the key afresh and charges it if it
 * still admits, rather than losing a compare-and-set to every send that went before in the queue;
 * a waiter whose limit filled up meanwhile is refused at once, without the lock. Quotas are split
 * into shards first (`shardQuotas`), so parallel sends spread over the shards' locks.
 */
export function serialisedLimitLedger(inner: LimitLedger, lock: KeyLock, shards = QUOTA_SHARDS): LimitLedger {
  return shardQuotas(lockedLedger(inner, lock), shards);
}

/** Each key charged under its lock; a quota (shard) that is full refuses without waiting for it. */
function lockedLedger(inner: LimitLedger, lock: KeyLock): LimitLedger {
  const locked = <T>(key: string, work: () => Promise<T>, settled?: () => Promise<T | undefined>) =>
    guard(() => lock.run(`limit:${key}`, work, settled));
  const fresh = async (limit: SendLimit, now: Date) => (await inner.read([limit], now))[0]!;
  const admitting = (limit: SendLimit, snapshot: LimitSnapshot, now: Date) =>
    limit.kind === 'window' ? admits(snapshot.state, now.getTime()) : snapshot.state.remaining > 0;

  const charge = (chargeId: string, limit: SendLimit, now: Date) => {
    const refused = async (): Promise<ChargeResult | undefined> => {
      const snapshot = await fresh(limit, now);
      return admitting(limit, snapshot, now) ? undefined : { charged: false, snapshot };
    };
    return locked<ChargeResult>(
      limit.key,
      async () => {
        const snapshot = await fresh(limit, now);
        return admitting(limit, snapshot, now) ? inner.charge(chargeId, snapshot, now) : { charged: false, snapshot };
      },
      refused,
    );
  };

  return {
    read: (limits, now) => inner.read(limits, now),
    charge: (chargeId, seen, now) => charge(chargeId, seen.limit, now),
    uncharge: (chargeId, limit) => locked(limit.key, () => inner.uncharge(chargeId, limit)),
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
}
