// Our error values in Twilio's own shape, which the twilio SDK reads into a RestException.
import type { Context } from 'hono';
import type { DomainError, ErrorName } from '../../domain/errors.ts';
import type { Logger } from '../../ports/logger.ts';
import { logCause } from '../answer.ts';

type TwilioStatus = 400 | 401 | 403 | 404 | 405 | 413 | 422 | 429 | 500 | 502 | 503;

/**
 * Every SMS_0xx's nearest Twilio code, in one table so that the compiler sees a new error name
 * left unmapped. The README's migration table is checked against this one.
 */
export const TWILIO_CODES: Record<ErrorName, { readonly code: number; readonly status: TwilioStatus }> = {
  MALFORMED_REQUEST: { code: 60200, status: 400 },
  INVALID_PHONE: { code: 60200, status: 400 },
  RATE_LIMITED: { code: 60203, status: 429 },
  // Twilio answers a check of an expired verification as one it cannot find.
  CODE_EXPIRED: { code: 20404, status: 404 },
  // Only reached when a wrong code is not answered as `pending` (it always is on these routes).
  WRONG_CODE: { code: 60200, status: 400 },
  TOO_MANY_ATTEMPTS: { code: 60202, status: 429 },
  NOT_FOUND: { code: 20404, status: 404 },
  DESTINATION_REFUSED: { code: 60205, status: 400 },
  PROVIDER_FAILED: { code: 60008, status: 502 },
  STORE_UNAVAILABLE: { code: 20503, status: 503 },
  COUNTRY_NOT_ALLOWED: { code: 60605, status: 403 },
  UNAUTHORIZED: { code: 20003, status: 401 },
  PAYLOAD_TOO_LARGE: { code: 60200, status: 413 },
  // Never answered on /v2 (webhooks are /v1 routes); 403 as there, so the tables agree.
  BAD_SIGNATURE: { code: 20003, status: 403 },
  NO_ROUTE: { code: 20404, status: 404 },
  FRAUD_BLOCKED: { code: 60410, status: 403 },
  IDEMPOTENCY_KEY_REUSED: { code: 60200, status: 422 },
  IDEMPOTENCY_IN_PROGRESS: { code: 20429, status: 429 },
  NUMBER_TYPE_NOT_ALLOWED: { code: 60205, status: 400 },
  FRAUD_BLOCK_NOT_FOUND: { code: 20404, status: 404 },
  // Twilio answers a channel the service cannot send on as an invalid parameter.
  CHANNEL_UNAVAILABLE: { code: 60200, status: 400 },
  INTERNAL: { code: 20500, status: 500 },
};

/** The body Twilio answers errors with. */
export interface TwilioErrorBody {
  readonly code: number;
  readonly message: string;
  readonly more_info: string;
  readonly status: number;
}

/** Answers `error` as Twilio would; a store outage's cause goes to the log only, as on /v1. */
export function verifyV2Error(c: Context, error: DomainError, logger: Logger, status?: TwilioStatus) {
  logCause(c, error, logger);
  const mapped = TWILIO_CODES[error.name];
  const answer = status ?? mapped.status;
  const body: TwilioErrorBody = {
    code: mapped.code,
    message: error.detail,
    more_info: `https://www.twilio.com/docs/errors/${mapped.code}`,
    status: answer,
  };
  const res = c.json(body, answer);
  const retryAfter = error.extra?.['retryAfter'];
  if (typeof retryAfter === 'number') res.headers.set('Retry-After', String(retryAfter));
  return res;
}
