// The stored verification: one per phone, what every CodeStore keeps and the use cases read.

export type DeliveryStatus = 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed';

export interface Delivery {
  readonly status: DeliveryStatus;
  readonly updatedAt: Date;
  readonly errorCode?: string;
  /** The provider that took the message (`twilio`, `vonage`, …). */
  readonly provider?: string;
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
}
