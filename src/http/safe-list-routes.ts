// The operator API's safe list: GET/POST /v1/safe-list, GET/DELETE /v1/safe-list/{phoneNumber}.
import { Hono } from 'hono';
import * as v from 'valibot';
import type { SafeList } from '../application/safe-list.ts';
import type { Logger } from '../ports/logger.ts';
import type { SafeListEntry } from '../ports/safe-list-store.ts';
import { answerError } from './answer.ts';
import type { AppEnv } from './app-env.ts';
import { type AdminAccess, requireAdminKey } from './fraud-routes.ts';
import { methodNotAllowed } from './problem.ts';
import { jsonBody } from './validate.ts';

export const SafeListBody = v.strictObject({
  phoneNumber: v.pipe(v.string(), v.maxLength(20), v.description('E.164, or a prefix ending in * (+4420*)')),
});

export const safeListView = (e: SafeListEntry) => ({
  sid: e.sid,
  phoneNumber: e.phoneNumber,
  createdAt: e.createdAt.toISOString(),
});

export function safeListRoutes(safeList: SafeList, access: AdminAccess, logger: Logger) {
  return new Hono<AppEnv>()
    .use(requireAdminKey(access))
    .get('/', async (c) => c.json({ entries: (await safeList.list()).map(safeListView) }, 200))
    .post('/', jsonBody(SafeListBody), async (c) => {
      const result = await safeList.add(c.req.valid('json').phoneNumber);
      return result.ok ? c.json(safeListView(result.value), 201) : answerError(c, result.error, logger);
    })
    .get('/:phoneNumber', async (c) => {
      const result = await safeList.get(c.req.param('phoneNumber'));
      return result.ok ? c.json(safeListView(result.value), 200) : answerError(c, result.error, logger);
    })
    .delete('/:phoneNumber', async (c) => {
      const result = await safeList.remove(c.req.param('phoneNumber'));
      return result.ok ? c.body(null, 204) : answerError(c, result.error, logger);
    })
    .all('/', (c) => methodNotAllowed(c, 'GET, POST'))
    .all('/:phoneNumber', (c) => methodNotAllowed(c, 'GET, DELETE'));
}
