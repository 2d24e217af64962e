// The operator API's attempts: GET /v1/attempts (a page, newest first) and /v1/attempts/summary.
import { Hono } from 'hono';
import * as v from 'valibot';
import { ATTEMPT_GROUPS, type AttemptRecord, conversionRate } from '../domain/attempts/attempt.ts';
import { CHANNELS } from '../domain/verification/channel.ts';
import type { AttemptFilter, AttemptStore } from '../ports/attempt-store.ts';
import type { AppEnv } from './app-env.ts';
import { type AdminAccess, requireAdminKey } from './fraud-routes.ts';
import { methodNotAllowed } from './problem.ts';
import { queryParams } from './validate.ts';

const Instant = v.pipe(
  v.string(),
  v.isoTimestamp('must be an ISO 8601 time with a zone'),
  v.transform((s) => new Date(s)),
);
export const AttemptQuery = v.strictObject({
  service: v.optional(v.pipe(v.string(), v.regex(/^VA[0-9a-f]{32}$/, 'must be VA followed by 32 hex digits'))),
  country: v.optional(
    v.pipe(v.string(), v.regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166 alpha-2 code'), v.toUpperCase()),
  ),
  channel: v.optional(v.picklist(CHANNELS, 'must be sms, call or whatsapp')),
  provider: v.optional(v.pipe(v.string(), v.regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be a provider name'))),
  prefix: v.optional(v.pipe(v.string(), v.regex(/^\+[1-9][0-9]{0,14}$/, 'must be + and digits'))),
  from: v.optional(Instant),
  to: v.optional(Instant),
});
const ListQuery = v.strictObject({
  ...AttemptQuery.entries,
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[0-9]{1,4}$/, 'must be 1 to 1000'),
      v.transform(Number),
      v.minValue(1),
      v.maxValue(1000),
    ),
    '50',
  ),
  cursor: v.optional(v.pipe(v.string(), v.regex(/^[0-9]{1,15}_VL[0-9a-f]{32}$/, "must be a page's next cursor"))),
});
const SummaryQuery = v.strictObject({
  ...AttemptQuery.entries,
  groupBy: v.optional(v.picklist(ATTEMPT_GROUPS, 'must be country, channel, provider or prefix')),
});

export const filterOf = (q: v.InferOutput<typeof AttemptQuery>): AttemptFilter => ({
  serviceSid: q.service,
  country: q.country,
  channel: q.channel,
  provider: q.provider,
  prefix: q.prefix,
  from: q.from,
  to: q.to,
});

/** An attempt as the operator API shows it: the number's last four digits, never more. */
export const attemptView = (a: AttemptRecord) => ({
  sid: a.sid,
  verificationSid: a.verificationSid,
  service: a.serviceSid,
  channel: a.channel,
  provider: a.provider,
  country: a.country,
  prefix: a.prefix,
  phoneTail: a.phoneTail,
  deliveryStatus: a.deliveryStatus,
  converted: a.converted,
  createdAt: a.createdAt.toISOString(),
  updatedAt: a.updatedAt.toISOString(),
});

export function attemptRoutes(attempts: AttemptStore, access: AdminAccess) {
  return new Hono<AppEnv>()
    .use(requireAdminKey(access))
    .get('/', queryParams(ListQuery), async (c) => {
      const q = c.req.valid('query');
      const page = await attempts.list(filterOf(q), { limit: q.limit, after: q.cursor });
      return c.json({ attempts: page.attempts.map(attemptView), next: page.next }, 200);
    })
    .get('/summary', queryParams(SummaryQuery), async (c) => {
      const q = c.req.valid('query');
      const summary = await attempts.summary(filterOf(q), q.groupBy);
      const rated = <T extends Parameters<typeof conversionRate>[0]>(t: T) => ({
        ...t,
        conversionRate: conversionRate(t),
      });
      return c.json(
        {
          ...rated({
            totalAttempts: summary.totalAttempts,
            converted: summary.converted,
            unconverted: summary.unconverted,
          }),
          ...(q.groupBy
            ? {
                groupBy: q.groupBy,
                groups: (summary.groups ?? []).map(({ key, ...t }) => ({ [q.groupBy!]: key, ...rated(t) })),
              }
            : {}),
        },
        200,
      );
    })
    .all('/', (c) => methodNotAllowed(c, 'GET'))
    .all('/summary', (c) => methodNotAllowed(c, 'GET'));
}
