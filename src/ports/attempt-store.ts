// The AttemptStore port: send limits, each admission one atomic decision over every limit.

/** At most `limit` sends in any `windowMs`, and at least `cooldownMs` between two of them. */
export interface WindowLimit {
  readonly kind: 'window';
  readonly key: string;
  readonly limit: number;
  readonly windowMs: number;
  readonly cooldownMs: number;
}

/** At most `limit` sends until `resetAt` (the daily budget: the key names the day). */
export interface QuotaLimit {
  readonly kind: 'quota';
  readonly key: string;
  readonly limit: number;
  readonly resetAt: Date;
}

export type SendLimit = WindowLimit | QuotaLimit;

export interface LimitState {
  readonly key: string;
  /** Sends this limit still allows (after the charge, when admitted). */
  readonly remaining: number;
  /** The earliest time at which this limit would admit another send. */
  readonly availableAt: Date;
}

export interface Admission {
  readonly admitted: boolean;
  /** One state per limit, in the order given. When refused, nothing was charged. */
  readonly states: readonly LimitState[];
}

export interface AttemptStore {
  /**
   * Charges one send identified by `chargeId` against every limit if all of them allow it at `now`,
   * and charges none otherwise. Exact under concurrent calls, in one process and across processes.
   */
  admit(chargeId: string, limits: readonly SendLimit[], now: Date): Promise<Admission>;
  /** Takes back the charge `chargeId` (a send the provider never took). Idempotent. */
  refund(chargeId: string, limits: readonly SendLimit[]): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
