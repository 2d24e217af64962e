// Idempotency-Key on sends (IETF httpapi draft): a retry with the same key and body replays the first answer.
import type { Context, MiddlewareHandler } from 'hono';
import { storeUnavailable } from '../application/verifier.ts';
import { fail } from '../domain/errors.ts';
import { isStoreUnavailable } from '../domain/store-outage.ts';
import type { IdempotencyStore } from '../ports/idempotency-store.ts';
import type { Logger } from '../ports/logger.ts';
import { answerError } from './answer.ts';
import type { AppEnv } from './app-env.ts';
import { problem } from './problem.ts';

export interface IdempotencyDeps {
  readonly store: IdempotencyStore;
  readonly now: () => Date;
}

/** What the Idempotency-Key adds to a send's answers. */
export const IDEMPOTENCY_ERRORS = ['IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_IN_PROGRESS'] as const;

/** How long a key's first answer is replayed. */
const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/** A claim whose request is still running after this (its process died) may be taken over. */
const LEASE_MS = 120_000;

const KEY = /^[\x21-\x7e]{1,255}$/;
/** Headers of an answer that a replay carries as the first answer did. */
const REPLAYED_HEADERS = ['Location', 'Retry-After'];
/**
 * Refusals that depend on when they were made: a fraud block is lifted or ends (SMS_015). Like
 * 429s and 5xx they are not kept, so a retry after the wait is judged afresh.
 */
const TIME_DEPENDENT_CODES = new Set(['SMS_015']);

/**
 * Whether an answer ended the request's work for good: a success, or a refusal that a retry of the
 * same body would meet again whenever it came (validation, SMS_007, SMS_010, SMS_018, ...).
 */
function isFinal(status: number, body: string): boolean {
  if (status < 400) return true;
  if (status >= 500 || status === 429) return false;
  try {
    return !TIME_DEPENDENT_CODES.has(String((JSON.parse(body) as { code?: unknown }).code));
  } catch {
    return true;
  }
}
const encoder = new TextEncoder();
/** The service a scoped route names; nothing for /v1/verifications, so its keys read as before. */
const scopeOf = (c: Context<AppEnv>) => {
  const sid: string | undefined = c.req.param('serviceSid');
  return sid ? `\n${sid}` : '';
};
const sha256 = async (text: string) =>
  Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text))), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');

/**
 * With an `Idempotency-Key` header: the first request with the key runs and its answer is kept
 * for 24 h; a retry with the same key and the same body bytes gets that answer again
 * (`Idempotent-Replayed: true`) and sends no second SMS; the same key with another body is
 * SMS_016; while the first is still running, SMS_017 (409, retry shortly). Only answers that
 * ended the request's work are kept (`isFinal`): a 429 or a fraud block may have passed by the
 * retry, and after a 5xx the SMS was not sent. Keys are scoped to the caller's credentials, so two
 * clients cannot collide.
 */
export function idempotentRequests(deps: IdempotencyDeps, logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('Idempotency-Key');
    if (header === undefined) return next();
    // The draft's sf-string is quoted; a bare token is accepted as well.
    const key = /^"(.*)"$/.exec(header)?.[1] ?? header;
    if (!KEY.test(key)) {
      const message = 'must be 1 to 255 printable ASCII characters';
      return problem(
        c,
        fail('MALFORMED_REQUEST', `Idempotency-Key: ${message}`, {
          fields: ['Idempotency-Key'],
          errors: [{ field: 'Idempotency-Key', message }],
        }).error,
      );
    }
    const [id, fingerprint] = await Promise.all([
      // A key is the caller's, per service: the same key sent to two services is two requests.
      sha256(`${c.req.header('Authorization') ?? ''}\n${key}${scopeOf(c)}`),
      sha256(await c.req.text()),
    ]);
    let claim: Awaited<ReturnType<IdempotencyStore['claim']>>;
    try {
      claim = await deps.store.claim(id, fingerprint, deps.now(), IDEMPOTENCY_TTL_MS, LEASE_MS);
    } catch (error) {
      if (!isStoreUnavailable(error)) throw error;
      return answerError(c, storeUnavailable(error), logger);
    }
    if (claim.outcome === 'mismatch')
      return problem(
        c,
        fail('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with another request body; use a new key.').error,
      );
    if (claim.outcome === 'in_progress') {
      const res = problem(
        c,
        fail('IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still running; retry shortly.', {
          retryAfter: 1,
        }).error,
      );
      res.headers.set('Retry-After', '1');
      return res;
    }
    if (claim.outcome === 'replay') {
      const { status, contentType, body, headers } = claim.response;
      return c.body(body, status as 201, {
        ...headers,
        'Content-Type': contentType,
        'Idempotent-Replayed': 'true',
      });
    }
    const { token } = claim;
    try {
      await next();
    } catch (error) {
      await deps.store.release(id, token).catch(() => undefined);
      throw error;
    }
    const status = c.res.status;
    try {
      const body = await c.res.clone().text();
      if (isFinal(status, body)) {
        const kept = REPLAYED_HEADERS.flatMap((name) => {
          const value = c.res.headers.get(name);
          return value === null ? [] : [[name, value] as const];
        });
        await deps.store.complete(id, token, {
          status,
          contentType: c.res.headers.get('Content-Type') ?? 'application/json',
          body,
          ...(kept.length > 0 ? { headers: Object.fromEntries(kept) } : {}),
        });
      } else {
        await deps.store.release(id, token);
      }
    } catch (error) {
      // The answer stands (an SMS may be out): a retry meets the claim as in progress until its
      // lease ends, then runs again.
      if (!isStoreUnavailable(error)) throw error;
      logger.warn({ requestId: c.get('requestId'), cause: (error as Error).message }, 'idempotency answer not kept');
    }
  };
}
