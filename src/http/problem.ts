// The one table from error to HTTP status, and RFC 9457 problem+json responses.
import type { Context } from 'hono';
import type { ClientErrorStatusCode, ServerErrorStatusCode } from 'hono/utils/http-status';
import { type DomainError, ERRORS, type ErrorName, fail } from '../domain/errors.ts';

export type ErrorStatus = ClientErrorStatusCode | ServerErrorStatusCode;

export const STATUS: Record<ErrorName, ErrorStatus> = {
  MALFORMED_REQUEST: 400,
  INVALID_PHONE: 400,
  RATE_LIMITED: 429,
  CODE_EXPIRED: 410,
  WRONG_CODE: 422,
  TOO_MANY_ATTEMPTS: 429,
  NOT_FOUND: 404,
  DESTINATION_REFUSED: 422,
  PROVIDER_FAILED: 502,
  STORE_UNAVAILABLE: 503,
  COUNTRY_NOT_ALLOWED: 403,
  UNAUTHORIZED: 401,
  PAYLOAD_TOO_LARGE: 413,
  BAD_SIGNATURE: 403,
  NO_ROUTE: 404,
  FRAUD_BLOCKED: 403,
  IDEMPOTENCY_KEY_REUSED: 422,
  IDEMPOTENCY_IN_PROGRESS: 409,
  NUMBER_TYPE_NOT_ALLOWED: 403,
  FRAUD_BLOCK_NOT_FOUND: 404,
  CHANNEL_UNAVAILABLE: 422,
  INTERNAL: 500,
};

/** Body of an error response: RFC 9457 fields, the stable `code`, the request id and any extras. */
function problemBody(error: DomainError, requestId: string | undefined, status: number = STATUS[error.name]) {
  const { code, title } = ERRORS[error.name];
  return {
    type: `urn:sms-verify:error:${code}`,
    title,
    status,
    detail: error.detail,
    code,
    ...(requestId ? { requestId } : {}),
    ...error.extra,
  };
}

/**
 * Answers `error` as problem+json, with `Retry-After` when the error carries `retryAfter`. Typed
 * as JSON with an error status, so typed clients can tell it from the success response.
 */
export function problem(c: Context, error: DomainError, status: ErrorStatus = STATUS[error.name]) {
  const body: ProblemBody = problemBody(error, c.get('requestId') as string | undefined, status);
  const headers: Record<string, string> = { 'Content-Type': 'application/problem+json' };
  const retryAfter = error.extra?.['retryAfter'];
  if (typeof retryAfter === 'number') headers['Retry-After'] = String(retryAfter);
  return c.json(body, status, headers);
}

/** 405 SMS_014 with `Allow`. */
export function methodNotAllowed(c: Context, allowed: string) {
  const res = problem(c, fail('NO_ROUTE', `${c.req.method} is not allowed here; use ${allowed}.`).error, 405);
  res.headers.set('Allow', allowed);
  return res;
}

/** 404 SMS_014. */
export const noRoute = (c: Context) =>
  problem(c, fail('NO_ROUTE', `No route ${c.req.method} ${new URL(c.req.url).pathname.slice(0, 64)}.`).error);

/** A problem body as clients see it: the RFC 9457 fields, `code`, and the error's extras. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId?: string;
  [extra: string]: unknown;
}
