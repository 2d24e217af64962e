// The operator API: GET /v1/fraud/blocks and DELETE /v1/fraud/blocks/{prefix}, behind the admin keys only.
import { Hono, type MiddlewareHandler } from 'hono';
import type { Verifier } from '../application/verifier.ts';
import type { Logger } from '../ports/logger.ts';
import { answerError } from './answer.ts';
import type { AppEnv } from './app-env.ts';
import { requireApiKey, unauthorized } from './auth.ts';
import { methodNotAllowed, noRoute } from './problem.ts';

export interface AdminAccess {
  readonly adminKeys?: readonly string[] | undefined;
  readonly apiKeys?: readonly string[] | undefined;
}

/**
 * ADMIN_API_KEYS guard these routes and API_KEYS never do. With API keys but no admin key every
 * request is refused; with neither (development only: production requires API_KEYS) the routes
 * are as open as the rest of the API.
 */
export function requireAdminKey({ adminKeys, apiKeys }: AdminAccess): MiddlewareHandler {
  if (adminKeys?.length) return requireApiKey(adminKeys);
  if (!apiKeys?.length) return (_c, next) => next();
  return async (c) => unauthorized(c, 'The operator API needs an admin key: set ADMIN_API_KEYS.');
}

export function fraudRoutes(verifier: Verifier, access: AdminAccess, logger: Logger) {
  return (
    new Hono<AppEnv>()
      .use(requireAdminKey(access))
      .get('/blocks', async (c) => {
        const result = await verifier.listBlocks();
        return result.ok ? c.json({ blocks: result.value }, 200) : answerError(c, result.error, logger);
      })
      .delete('/blocks/:prefix', async (c) => {
        const result = await verifier.liftBlock(c.req.param('prefix'));
        return result.ok ? c.body(null, 204) : answerError(c, result.error, logger);
      })
      // Answered here: falling through would meet the API-key guard, which refuses admin keys.
      .all('/blocks', (c) => methodNotAllowed(c, 'GET'))
      .all('/blocks/:prefix', (c) => methodNotAllowed(c, 'DELETE'))
      .all('*', noRoute)
  );
}
