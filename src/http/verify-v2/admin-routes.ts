// Twilio Verify's account-level resources, for the operator: /v2/Attempts, /v2/Attempts/{Sid},
// /v2/Attempts/Summary (and the safe list), with Twilio's parameter and field names and paging.
import { type Context, Hono } from 'hono';
import { validator } from 'hono/validator';
import * as v from 'valibot';
import type { SafeList } from '../../application/safe-list.ts';
import { type AttemptRecord, conversionRate } from '../../domain/attempts/attempt.ts';
import { fail } from '../../domain/errors.ts';
import { CHANNELS } from '../../domain/verification/channel.ts';
import type { AttemptFilter, AttemptStore } from '../../ports/attempt-store.ts';
import type { Logger } from '../../ports/logger.ts';
import type { SafeListEntry } from '../../ports/safe-list-store.ts';
import { summarise } from '../issues.ts';
import { basicAuth } from './basic-auth.ts';
import { formBody } from './forms.ts';
import { verifyV2Error } from './v2-errors.ts';
import type { VerifyEnv } from './verify-env.ts';

export interface AdminV2Deps {
  readonly attempts?: AttemptStore | undefined;
  readonly safeList?: SafeList | undefined;
  /** ADMIN_API_KEYS: the password these routes take. */
  readonly adminKeys: readonly string[];
  /** With API keys but no admin key, every request is refused (as on /v1's operator API). */
  readonly apiKeys: readonly string[];
  readonly logger: Logger;
}

const twilioDate = (date: Date) => `${date.toISOString().slice(0, 19)}Z`;
const Instant = v.pipe(
  v.string(),
  v.isoTimestamp(),
  v.transform((s) => new Date(s)),
);
const Filters = {
  DateCreatedAfter: v.optional(Instant),
  DateCreatedBefore: v.optional(Instant),
  Country: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z]{2}$/), v.toUpperCase())),
  Channel: v.optional(v.pipe(v.string(), v.toLowerCase(), v.picklist(CHANNELS))),
  VerifyServiceSid: v.optional(v.pipe(v.string(), v.regex(/^VA[0-9a-f]{32}$/))),
};
const ListQuery = v.strictObject({
  ...Filters,
  VerificationSid: v.optional(v.pipe(v.string(), v.regex(/^VE[0-9a-f]{32}$/))),
  Status: v.optional(v.pipe(v.string(), v.toUpperCase(), v.picklist(['CONVERTED', 'UNCONVERTED']))),
  'ChannelData.To': v.optional(v.string()),
  PageSize: v.optional(
    v.pipe(v.string(), v.regex(/^[0-9]{1,4}$/), v.transform(Number), v.minValue(1), v.maxValue(1000)),
  ),
  Page: v.optional(v.pipe(v.string(), v.regex(/^[0-9]{1,6}$/), v.transform(Number))),
  PageToken: v.optional(v.pipe(v.string(), v.regex(/^[0-9]{1,15}_VL[0-9a-f]{32}$/))),
});
const SafeListForm = v.strictObject({ PhoneNumber: v.pipe(v.string(), v.maxLength(20)) });
const SummaryQuery = v.strictObject({
  ...Filters,
  DestinationPrefix: v.optional(v.pipe(v.string(), v.regex(/^\+?[1-9][0-9]{0,14}$/))),
});

function query<S extends v.GenericSchema>(schema: S, logger: Logger) {
  return validator('query', (value, c) => {
    const parsed = v.safeParse(schema, value);
    if (parsed.success) return parsed.output as v.InferOutput<S>;
    const problems = parsed.issues.map((issue) => {
      const { field, kind } = summarise(issue);
      return `${field} ${kind === 'unknown' ? 'is not a parameter of this resource' : 'is not valid'}`;
    });
    return verifyV2Error(c, fail('MALFORMED_REQUEST', `Invalid parameter: ${problems.join('; ')}.`).error, logger);
  });
}

const filterOf = (q: v.InferOutput<v.ObjectSchema<typeof Filters, undefined>>): AttemptFilter => ({
  serviceSid: q.VerifyServiceSid,
  country: q.Country,
  channel: q.Channel,
  from: q.DateCreatedAfter,
  to: q.DateCreatedBefore,
});

export function adminV2Routes(deps: AdminV2Deps) {
  const { attempts, logger } = deps;
  const app = new Hono<VerifyEnv>();
  const keys = deps.adminKeys.length > 0 ? deps.adminKeys : deps.apiKeys;
  const refuseAll = deps.adminKeys.length === 0 && deps.apiKeys.length > 0;
  const origin = (c: Context) => new URL(c.req.url).origin;
  const resource = (c: Context<VerifyEnv>, a: AttemptRecord) => ({
    sid: a.sid,
    account_sid: c.get('accountSid'),
    service_sid: a.serviceSid,
    verification_sid: a.verificationSid,
    date_created: twilioDate(a.createdAt),
    date_updated: twilioDate(a.updatedAt),
    conversion_status: a.converted ? 'converted' : 'unconverted',
    channel: a.channel,
    price: null,
    // The number masked to its last four digits: the attempts store keeps no more.
    channel_data: { to: a.phoneTail, carrier: null, status: a.deliveryStatus, provider: a.provider },
    url: `${origin(c)}/v2/Attempts/${a.sid}`,
  });

  const paths = [...(attempts ? ['/Attempts', '/Attempts/*'] : []), ...(deps.safeList ? ['/SafeList/*'] : [])];
  for (const path of paths) {
    app.use(path, async (c, next) => {
      if (refuseAll) {
        const detail = 'The operator resources need an admin key: set ADMIN_API_KEYS.';
        const res = verifyV2Error(c, fail('UNAUTHORIZED', detail).error, logger);
        res.headers.set('WWW-Authenticate', 'Basic realm="sms-verify"');
        return res;
      }
      return next();
    });
    app.use(path, basicAuth(keys, logger));
  }
  const safeListResource = (c: Context, e: SafeListEntry) => ({
    sid: e.sid,
    phone_number: e.phoneNumber,
    url: `${origin(c)}/v2/SafeList/Numbers/${encodeURIComponent(e.phoneNumber)}`,
  });
  if (deps.safeList) safeListRoutes(app, deps.safeList, logger, safeListResource);
  if (attempts) attemptRoutes(app, attempts, logger, resource, origin);
  return app;
}

function safeListRoutes(
  app: Hono<VerifyEnv>,
  safeList: SafeList,
  logger: Logger,
  safeListResource: (c: Context, e: SafeListEntry) => object,
) {
  app
    .post('/SafeList/Numbers', formBody(SafeListForm, logger), async (c) => {
      const result = await safeList.add(c.req.valid('form').PhoneNumber);
      return result.ok ? c.json(safeListResource(c, result.value), 201) : verifyV2Error(c, result.error, logger);
    })
    .get('/SafeList/Numbers/:phoneNumber', async (c) => {
      const result = await safeList.get(c.req.param('phoneNumber'));
      return result.ok ? c.json(safeListResource(c, result.value)) : verifyV2Error(c, result.error, logger);
    })
    .delete('/SafeList/Numbers/:phoneNumber', async (c) => {
      const result = await safeList.remove(c.req.param('phoneNumber'));
      return result.ok ? c.body(null, 204) : verifyV2Error(c, result.error, logger);
    });
}

function attemptRoutes(
  app: Hono<VerifyEnv>,
  attempts: AttemptStore,
  logger: Logger,
  resource: (c: Context<VerifyEnv>, a: AttemptRecord) => object,
  origin: (c: Context) => string,
) {
  app
    .get('/Attempts/Summary', query(SummaryQuery, logger), async (c) => {
      const q = c.req.valid('query');
      const prefix = q.DestinationPrefix ? `+${q.DestinationPrefix.replace(/^\+/, '')}` : undefined;
      const t = await attempts.summary({ ...filterOf(q), prefix });
      return c.json({
        account_sid: c.get('accountSid'),
        total_attempts: t.totalAttempts,
        total_converted: t.converted,
        total_unconverted: t.unconverted,
        conversion_rate_percentage: (conversionRate(t) * 100).toFixed(2),
        url: `${origin(c)}/v2/Attempts/Summary`,
      });
    })
    .get('/Attempts/:sid', async (c) => {
      const found = /^VL[0-9a-f]{32}$/.test(c.req.param('sid')) ? await attempts.get(c.req.param('sid')) : null;
      if (!found)
        return verifyV2Error(c, fail('NOT_FOUND', `No attempt ${c.req.param('sid').slice(0, 40)}.`).error, logger);
      return c.json(resource(c, found));
    })
    .get('/Attempts', query(ListQuery, logger), async (c) => {
      const q = c.req.valid('query');
      const pageSize = q.PageSize ?? 50;
      const filter: AttemptFilter = {
        ...filterOf(q),
        verificationSid: q.VerificationSid,
        converted: q.Status === undefined ? undefined : q.Status === 'CONVERTED',
      };
      const page = await attempts.list(filter, { limit: pageSize, after: q.PageToken });
      const url = new URL(c.req.url);
      const pageUrl = (token: string | undefined, n: number) => {
        const next = new URL(url);
        next.searchParams.set('PageSize', String(pageSize));
        next.searchParams.set('Page', String(n));
        if (token) next.searchParams.set('PageToken', token);
        else next.searchParams.delete('PageToken');
        return next.href;
      };
      const pageNumber = q.Page ?? 0;
      return c.json({
        attempts: page.attempts.map((a) => resource(c, a)),
        meta: {
          page: pageNumber,
          page_size: pageSize,
          first_page_url: pageUrl(undefined, 0),
          previous_page_url: null,
          url: url.href,
          next_page_url: page.next ? pageUrl(page.next, pageNumber + 1) : null,
          key: 'attempts',
        },
      });
    });
}
