// The SendLimitStore port: send limits, each admission one decision over every limit, all or none.
import type { Admission, SendLimit } from '../domain/limits/send-limit.ts';

/**
 * A new store need not implement this itself: implementing the per-key LimitLedger and wrapping it
 * in `createSendLimitEngine` gives the same admission, refunds and contract.
 */
export interface SendLimitStore {
  /**
   * Charges one send identified by `chargeId` against every limit if all of them allow it at `now`,
   * and charges none otherwise. Exact under concurrent calls, in one process and across processes.
   */
  admit(chargeId: string, limits: readonly SendLimit[], now: Date): Promise<Admission>;
  /** Takes back the charge `chargeId` (a send the provider never took). Idempotent; unknown ids change nothing. */
  refund(chargeId: string, limits: readonly SendLimit[]): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
