// The operator API's event webhooks: GET /v1/events/failed, POST /v1/events/{id}/redeliver.
import { Hono } from 'hono';
import { fail } from '../domain/errors.ts';
import type { EventOutbox, OutboxEvent } from '../ports/event-outbox.ts';
import type { AppEnv } from './app-env.ts';
import { type AdminAccess, requireAdminKey } from './fraud-routes.ts';
import { methodNotAllowed, problem } from './problem.ts';

export interface EventAdmin {
  readonly outbox: EventOutbox;
  readonly now: () => Date;
}

const failedView = (e: OutboxEvent) => ({
  id: e.id,
  type: e.type,
  timestamp: e.timestamp.toISOString(),
  data: e.data,
  attempts: e.attempts,
  lastError: e.lastError,
  failedAt: e.failedAt?.toISOString() ?? null,
});

export function eventRoutes(events: EventAdmin, access: AdminAccess) {
  return new Hono<AppEnv>()
    .use(requireAdminKey(access))
    .get('/failed', async (c) => c.json({ events: (await events.outbox.failed(100)).map(failedView) }, 200))
    .post('/:id/redeliver', async (c) => {
      const id = c.req.param('id');
      if (!/^msg_[0-9a-f]{32}$/.test(id) || !(await events.outbox.redeliver(id, events.now())))
        return problem(c, fail('NOT_FOUND', `No failed event ${id.slice(0, 40)}.`).error);
      return c.body(null, 202);
    })
    .all('/failed', (c) => methodNotAllowed(c, 'GET'))
    .all('/:id/redeliver', (c) => methodNotAllowed(c, 'POST'));
}
