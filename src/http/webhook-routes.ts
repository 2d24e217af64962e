// POST /v1/webhooks/{provider}/status: delivery callbacks of whichever providers are plugged in.
import { Hono } from 'hono';
import type { Verifier } from '../application/verifier.ts';
import { fail } from '../domain/errors.ts';
import type { DeliveryWebhook } from '../ports/delivery-webhook.ts';
import type { Logger } from '../ports/logger.ts';
import { answerError } from './answer.ts';
import type { AppEnv } from './app-env.ts';
import { problem } from './problem.ts';

/** One route per configured provider; any other provider's callback answers SMS_013. */
export function webhookRoutes(verifier: Verifier, webhooks: readonly DeliveryWebhook[], logger: Logger) {
  const routes = new Hono<AppEnv>();
  for (const webhook of webhooks) {
    routes.post(`/${webhook.provider}/status`, async (c) => {
      const url = new URL(c.req.url);
      const outcome = await webhook.receive({
        path: c.req.path,
        search: url.search,
        headers: c.req.raw.headers,
        body: await c.req.text(),
      });
      if (!outcome.ok) return problem(c, fail('BAD_SIGNATURE', outcome.detail).error);
      for (const report of outcome.reports) {
        const result = await verifier.recordDelivery(report);
        if (!result.ok) return answerError(c, result.error, logger);
      }
      return c.body(null, 204);
    });
  }
  // Middleware, not a route: the API document and the app's routes then list the configured
  // providers' callbacks alone, and a callback of any other provider still answers SMS_013.
  routes.use('/:provider/status', (c, next) =>
    c.req.method !== 'POST'
      ? next()
      : Promise.resolve(
          problem(
            c,
            fail('BAD_SIGNATURE', `Delivery callbacks are not configured for ${c.req.param('provider').slice(0, 32)}.`)
              .error,
          ),
        ),
  );
  return routes;
}
