// The event port: what the domain reports for logs and metrics. Phones appear as their tail only.

export type VerificationEventType =
  | 'sent'
  | 'test_code_issued'
  | 'rate_limited'
  | 'destination_refused'
  | 'provider_failed'
  | 'approved'
  | 'wrong_code'
  | 'lockout'
  | 'locked'
  | 'expired'
  | 'not_pending'
  | 'cancelled'
  | 'delivery';

/**
 * Check outcomes are approved, wrong_code, expired, locked (refused: too many wrong checks) and
 * not_pending; `lockout` marks the wrong check that used the last attempt (it also counts as
 * wrong_code). Send outcomes are sent, test_code_issued, rate_limited, destination_refused and
 * provider_failed.
 */
export interface VerificationEvent {
  readonly type: VerificationEventType;
  /** Last four digits of the phone, never more. */
  readonly phoneTail?: string;
  readonly country?: string | undefined;
  /** For rate_limited: which limits refused (phone, cooldown, ip, prefix, budget). */
  readonly reasons?: readonly string[];
  readonly providerCode?: string | undefined;
  readonly deliveryStatus?: string;
}

export interface EventSink {
  emit(event: VerificationEvent): void;
}
