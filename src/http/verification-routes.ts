// The /v1/verifications routes: send, check, read and cancel.
import { type Context, Hono } from 'hono';
import type { Verifier } from '../application/verifier.ts';
import type { Logger } from '../ports/logger.ts';
import { answerError } from './answer.ts';
import type { AppEnv } from './app-env.ts';
import { CheckBody, StartBody } from './schemas.ts';
import { jsonBody } from './validate.ts';

/**
 * The routes, chained so that their types reach `hc<AppType>()` clients. `verifierOf` picks the
 * service a request is for (the default one, or the one its path names).
 */
export function verificationRoutes(verifierOf: (c: Context<AppEnv>) => Verifier, logger: Logger) {
  return new Hono<AppEnv>()
    .post('/', jsonBody(StartBody), async (c) => {
      const result = await verifierOf(c).start(c.req.valid('json'));
      if (!result.ok) return answerError(c, result.error, logger);
      c.header('Location', `${c.req.path.replace(/\/+$/, '')}/${encodeURIComponent(result.value.phone)}`);
      return c.json(result.value, 201);
    })
    .post('/check', jsonBody(CheckBody), async (c) => {
      const result = await verifierOf(c).check(c.req.valid('json'));
      return result.ok ? c.json(result.value, 200) : answerError(c, result.error, logger);
    })
    .get('/:phone', async (c) => {
      const result = await verifierOf(c).get(c.req.param('phone'));
      return result.ok ? c.json(result.value, 200) : answerError(c, result.error, logger);
    })
    .delete('/:phone', async (c) => {
      const result = await verifierOf(c).cancel(c.req.param('phone'));
      return result.ok ? c.body(null, 204) : answerError(c, result.error, logger);
    });
}
