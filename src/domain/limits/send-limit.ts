// Send limits as the rules state them, and what a store answers about them.

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
