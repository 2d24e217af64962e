// The event port: what the domain reports for logs and metrics. Phones appear as their tail only.

export type VerificationEventType =
  | 'sent'
  | 'test_code_issued'
  | 'rate_limited'
  | 'destination_refused'
  | 'provider_failed'
  | 'approved'
  | 'wrong_code'
  | 'locked'
  | 'expired'
  | 'not_pending'
  | 'cancelled'
  | 'delivery';

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
