// The stored verification: one per phone, what every CodeStore keeps and the use cases read.
import type { Channel } from './channel.ts';

export type DeliveryStatus = 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed';

export interface Delivery {
  readonly status: DeliveryStatus;
  readonly updatedAt: Date;
  readonly errorCode?: string;
  /** The provider that took the message (`twilio`, `vonage`, …). */
  readonly provider?: string;
}

/** One send of a verification's code: the first, or a resend on any channel. */
export interface SendAttempt {
  readonly channel: Channel;
  readonly provider: string;
  readonly time: Date;
}

export interface VerificationRecord {
  /** E.164; the store keeps at most one record per phone. */
  readonly phone: string;
  /** Random id of this send; a new send gets a new id, so stale operations can be told apart. */
  readonly id: string;
  /** Keyed hash of the code; never the code itself. */
  readonly codeHash: string;
  readonly createdAt: Date;
  /** When the code stops working. */
  readonly expiresAt: Date;
  /** Wrong checks counted against this code. */
  readonly attempts: number;
  readonly verified: boolean;
  readonly verifiedAt: Date | null;
  /** When the record may be deleted: expiry + retention, or approval + verified TTL. */
  readonly purgeAt: Date;
  readonly delivery: Delivery | null;
  /** The provider's id for the message, for delivery callbacks. */
  readonly messageId: string | null;
  /**
   * The caller chose the code (custom codes): its approval proves nothing about the number, so the
   * fraud guard does not count it as a conversion. Absent means false.
   */
  readonly customCode?: boolean;
  /**
   * The code sealed for resends (CodeHasher.seal): a resend while pending sends the same code.
   * Erased at approval; absent on records from before it was kept (those start afresh).
   */
  readonly codeSealed?: string | null;
  /** Every send the providers took of this code, oldest first; absent means none yet. */
  readonly sendAttempts?: readonly SendAttempt[];
  /** The fallback workflow's step this code was last sent at (0: the first); absent without one. */
  readonly step?: number;
  /** When the workflow's next step is due, unless approved, cancelled, expired or locked first; null: none. */
  readonly nextStepAt?: Date | null;
}
