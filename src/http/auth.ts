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
  const matchers = keys.map(constantTimeMatcher);
  return async (c, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('Authorization') ?? '');
    let valid = false;
    if (match) {
      for (const matches of matchers) valid = matches(match[1]!) || valid;
    }
    if (!valid) return unauthorized(c, match ? 'The API key is not valid.' : 'Send Authorization: Bearer <API key>.');
    await next();
  };
}

/** 401 SMS_011 with the Bearer challenge. */
export function unauthorized(c: Context, detail: string) {
  const res = problem(c, fail('UNAUTHORIZED', detail).error);
  res.headers.set('WWW-Authenticate', 'Bearer');
  return res;
}
