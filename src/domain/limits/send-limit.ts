// Send limits as the rules state them, and what a store answers about them.

/** What a limit counts: one phone's sends or wrong guesses, one caller IP, one number prefix, the day. */
export type LimitScope = 'phone' | 'guess' | 'ip' | 'prefix' | 'budget';

interface Scoped {
  readonly scope: LimitScope;
  /** What within the scope: the E.164 number, the IP's key, the prefix, the day. */
  readonly subject: string;
  /** The store's key, `scope:subject`; a store never reads it back apart. */
  readonly key: string;
}

/** At most `limit` sends in any `windowMs`, and at least `cooldownMs` between two of them. */
export interface WindowLimit extends Scoped {
  readonly kind: 'window';
  readonly limit: number;
  readonly windowMs: number;
  readonly cooldownMs: number;
}

/** At most `limit` sends until `resetAt` (the daily budget: the key names the day). */
export interface QuotaLimit extends Scoped {
  readonly kind: 'quota';
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
