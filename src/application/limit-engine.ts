// All-or-none admission over several send limits, built on a store's per-key LimitLedger.

import { admits } from '../domain/limits/limit-arithmetic.ts';
import type { Admission, LimitState, SendLimit } from '../domain/limits/send-limit.ts';
import type { LimitLedger } from '../ports/limit-ledger.ts';
import type { SendLimitStore } from '../ports/send-limit-store.ts';

/** Gives up on a key after this many lost races in one call (each loss means another send won). */
const MAX_ROUNDS = 200;

/**
 * Reads every key once and refuses without writing when any limit refuses (the common refusal
 * costs one read). Otherwise charges the limits in order, the per-phone one first, each by the
 * ledger's conditional write; a lost race re-reads that key and decides again. When a later limit
 * refuses, the charges already made are taken back, so a send is charged to every limit or none
 * and no limit is ever exceeded, in one process or many. A concurrent send may meanwhile be
 * refused by a charge that is then taken back: the contract declares that (`atomicAcrossLimits`).
 */
export function createSendLimitEngine(ledger: LimitLedger): SendLimitStore {
  const refund = async (chargeId: string, limits: readonly SendLimit[]) => {
    for (const limit of limits) await ledger.uncharge(chargeId, limit);
  };
  return {
    async admit(chargeId, limits, now): Promise<Admission> {
      const t = now.getTime();
      const snapshots = await ledger.read(limits, now);
      const refused = () => ({ admitted: false, states: snapshots.map((s) => s.state) });
      if (!snapshots.every((s) => admits(s.state, t))) return refused();
      const states: LimitState[] = [];
      for (const [i, limit] of limits.entries()) {
        for (let round = 0; ; round++) {
          if (round === MAX_ROUNDS) throw new Error(`send limit ${limit.key}: ${MAX_ROUNDS} lost races in one call`);
          const snapshot = snapshots[i]!;
          if (!admits(snapshot.state, t)) {
            await refund(chargeId, limits.slice(0, i));
            return refused();
          }
          const result = await ledger.charge(chargeId, snapshot, now);
          if (result.charged) {
            states.push(result.state);
            break;
          }
          snapshots[i] = result.snapshot;
        }
      }
      return { admitted: true, states };
    },
    refund,
    ping: () => ledger.ping(),
    close: () => ledger.close(),
  };
}
