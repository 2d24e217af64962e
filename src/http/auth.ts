// Bearer API keys on /v1, compared in constant time.
import type { Context, MiddlewareHandler } from 'hono';
import { constantTimeMatcher } from '../domain/constant-time.ts';
import { fail } from '../domain/errors.ts';
import { problem } from './problem.ts';

/**
 * Requires `Authorization: Bearer <key>` with one of `keys`. Every key is compared, so timing
 * says neither which key matched nor how much of one did.
 */
export function requireApiKey(keys: readonly string[]): MiddlewareHandler {
  const isKey = keyMatcher(keys);
  return async (c, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('Authorization') ?? '');
    const valid = match !== null && isKey(match[1]!);
    if (!valid) return unauthorized(c, match ? 'The API key is not valid.' : 'Send Authorization: Bearer <API key>.');
    await next();
  };
}

/**
 * Whether a given key is one of `keys`. Every key is compared, so timing says neither which key
 * matched nor how much of one did.
 */
export function keyMatcher(keys: readonly string[]): (given: string) => boolean {
  const matchers = keys.map(constantTimeMatcher);
  return (given) => {
    let valid = false;
    for (const matches of matchers) valid = matches(given) || valid;
    return valid;
  };
}

/** 401 SMS_011 with the Bearer challenge. */
export function unauthorized(c: Context, detail: string) {
  const res = problem(c, fail('UNAUTHORIZED', detail).error);
  res.headers.set('WWW-Authenticate', 'Bearer');
  return res;
}
