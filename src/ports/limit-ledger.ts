// The LimitLedger port: the per-key primitive a store implements so the limit engine can admit sends.
import type { LimitState, SendLimit } from '../domain/limits/send-limit.ts';

/** One limit's key as read: its state, and what the store needs to make the next charge conditional. */
export interface LimitSnapshot {
  readonly limit: SendLimit;
  readonly state: LimitState;
  /** Opaque to the engine: a version, the sends seen, whatever makes `charge` a compare-and-set. */
  readonly token: unknown;
}

export type ChargeResult =
  | { readonly charged: true; readonly state: LimitState }
  /** Another writer changed the key since the snapshot: here is the key as it is now. */
  | { readonly charged: false; readonly snapshot: LimitSnapshot };

/**
 * Each call touches one key (`read` may batch them) and is atomic for that key, across processes.
 * The engine (`createSendLimitEngine`) builds all-or-none admission over several keys from these.
 */
export interface LimitLedger {
  /** Every limit's key at `now`, in the order given; in one round trip where the store allows. */
  read(limits: readonly SendLimit[], now: Date): Promise<LimitSnapshot[]>;
  /**
   * Charges `chargeId` to the snapshot's key, only if the key is as the snapshot saw it (window
   * limits) or still below its limit (quotas). The caller has checked that the snapshot admits.
   */
  charge(chargeId: string, snapshot: LimitSnapshot, now: Date): Promise<ChargeResult>;
  /** Takes `chargeId` back from the limit's key. Idempotent; an id never charged changes nothing. */
  uncharge(chargeId: string, limit: SendLimit): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
