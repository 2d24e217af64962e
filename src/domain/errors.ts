// Every expected failure the service can answer, defined once with its public code and message.

export const ERRORS = {
  MALFORMED_REQUEST: { code: 'SMS_000', title: 'Malformed request' },
  INVALID_PHONE: { code: 'SMS_001', title: 'Invalid phone number' },
  RATE_LIMITED: { code: 'SMS_002', title: 'Too many sends' },
  CODE_EXPIRED: { code: 'SMS_003', title: 'Code expired' },
  WRONG_CODE: { code: 'SMS_004', title: 'Wrong code' },
  TOO_MANY_ATTEMPTS: { code: 'SMS_005', title: 'Too many wrong checks' },
  NOT_FOUND: { code: 'SMS_006', title: 'No pending verification' },
  DESTINATION_REFUSED: { code: 'SMS_007', title: 'Destination refused by the SMS provider' },
  PROVIDER_FAILED: { code: 'SMS_008', title: 'SMS provider failed' },
  STORE_UNAVAILABLE: { code: 'SMS_009', title: 'Store unavailable' },
  COUNTRY_NOT_ALLOWED: { code: 'SMS_010', title: 'Country not allowed' },
  UNAUTHORIZED: { code: 'SMS_011', title: 'Missing or wrong API key' },
  PAYLOAD_TOO_LARGE: { code: 'SMS_012', title: 'Request body too large' },
  BAD_SIGNATURE: { code: 'SMS_013', title: 'Webhook signature missing or wrong' },
  NO_ROUTE: { code: 'SMS_014', title: 'No such route' },
  FRAUD_BLOCKED: { code: 'SMS_015', title: 'Destination prefix blocked by the fraud guard' },
  IDEMPOTENCY_KEY_REUSED: { code: 'SMS_016', title: 'Idempotency-Key reused with another body' },
  IDEMPOTENCY_IN_PROGRESS: { code: 'SMS_017', title: 'Request with this Idempotency-Key in progress' },
  NUMBER_TYPE_NOT_ALLOWED: { code: 'SMS_018', title: 'Number type not allowed' },
  FRAUD_BLOCK_NOT_FOUND: { code: 'SMS_019', title: 'No such fraud block' },
  CHANNEL_UNAVAILABLE: { code: 'SMS_020', title: 'Channel not available' },
  INTERNAL: { code: 'SMS_099', title: 'Unexpected error' },
} as const;

export type ErrorName = keyof typeof ERRORS;
export type PublicCode = (typeof ERRORS)[ErrorName]['code'];

/** An expected failure: a stable name, a human detail and any extra fields the client may use. */
export interface DomainError<N extends ErrorName = ErrorName> {
  readonly name: N;
  readonly detail: string;
  /** Extra fields for the client (they go into the response body). */
  readonly extra?: Record<string, unknown>;
  /** For the log only: what went wrong underneath. Never sent to the client. */
  readonly cause?: unknown;
}

export type Result<T, N extends ErrorName = ErrorName> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: DomainError<N> };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

export const fail = <N extends ErrorName>(
  name: N,
  detail: string,
  extra?: Record<string, unknown>,
): { ok: false; error: DomainError<N> } => ({ ok: false, error: extra ? { name, detail, extra } : { name, detail } });
