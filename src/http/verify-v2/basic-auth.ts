// HTTP Basic on the Verify v2 routes, as the twilio SDK sends it: the user name is the account
// (or API key) SID the SDK was built with, the password one of our API keys.
import type { Context, MiddlewareHandler } from 'hono';
import { fail } from '../../domain/errors.ts';
import type { Logger } from '../../ports/logger.ts';
import { keyMatcher } from '../auth.ts';
import { verifyV2Error } from './v2-errors.ts';
import type { VerifyEnv } from './verify-env.ts';

/** The account SID answered when the caller's user name is not one (an `SK…` API key SID). */
const PLACEHOLDER_ACCOUNT_SID = `AC${'0'.repeat(32)}`;
const ACCOUNT_SID = /^AC[0-9a-f]{32}$/;

/**
 * With `keys`, requires Basic credentials whose password is one of them, compared in constant
 * time; without, as on /v1, anyone may call. Either way the user name, when it is an `AC…` SID,
 * is the `account_sid` of every answer, so an SDK sees its own account.
 */
export function basicAuth(keys: readonly string[], logger: Logger): MiddlewareHandler<VerifyEnv> {
  const isKey = keyMatcher(keys);
  return async (c, next) => {
    const credentials = readBasic(c);
    c.set('accountSid', credentials && ACCOUNT_SID.test(credentials.user) ? credentials.user : PLACEHOLDER_ACCOUNT_SID);
    if (keys.length > 0) {
      if (!credentials || !isKey(credentials.password)) {
        const detail = credentials
          ? 'Authenticate: the password is not one of the API keys.'
          : 'Authenticate with HTTP Basic: any account SID as user name, an API key as password.';
        const res = verifyV2Error(c, fail('UNAUTHORIZED', detail).error, logger);
        res.headers.set('WWW-Authenticate', 'Basic realm="sms-verify"');
        return res;
      }
    }
    await next();
  };
}

function readBasic(c: Context): { user: string; password: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(c.req.header('Authorization') ?? '');
  if (!match) return null;
  let decoded: string;
  try {
    decoded = new TextDecoder().decode(Uint8Array.from(atob(match[1]!), (ch) => ch.charCodeAt(0)));
  } catch {
    return null;
  }
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
