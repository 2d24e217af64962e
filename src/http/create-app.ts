// createApp(deps): the whole HTTP API as a Hono app, runnable on any runtime Hono supports.
import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import type { SafeList } from '../application/safe-list.ts';
import type { Verifier } from '../application/verifier.ts';
import { fail } from '../domain/errors.ts';
import type { AttemptStore } from '../ports/attempt-store.ts';
import type { DeliveryWebhook } from '../ports/delivery-webhook.ts';
import type { Logger } from '../ports/logger.ts';
import type { Metrics } from '../ports/metrics.ts';
import { logUnexpected } from './answer.ts';
import type { AppEnv } from './app-env.ts';
import { attemptRoutes } from './attempt-routes.ts';
import { requireApiKey } from './auth.ts';
import { limitBody } from './body-limit.ts';
import { CONSOLE_CSP, CONSOLE_CSS, CONSOLE_HTML, CONSOLE_JS, type ConsoleAssets } from './console/console-assets.ts';
import { DOCS_CSP, DOCS_HTML, DOCS_INIT, type DocsAssets } from './docs-page.ts';
import { type EventAdmin, eventRoutes } from './event-routes.ts';
import { fraudRoutes } from './fraud-routes.ts';
import { type IdempotencyDeps, idempotentRequests } from './idempotency.ts';
import { silentLogger } from './logger.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { operatorRoutes } from './operator-routes.ts';
import { methodNotAllowed, noRoute, problem } from './problem.ts';
import { safeListRoutes } from './safe-list-routes.ts';
import { type ServedService, serviceIndex } from './served-service.ts';
import { verificationRoutes } from './verification-routes.ts';
import { adminV2Routes } from './verify-v2/admin-routes.ts';
import { verifyV2Error } from './verify-v2/v2-errors.ts';
import type { VerificationSids } from './verify-v2/verification-sid.ts';
import { verifyRoutes } from './verify-v2/verify-routes.ts';
import { webhookRoutes } from './webhook-routes.ts';

export const MAX_BODY_BYTES = 16 * 1024;
/** An over-long body is read and dropped up to this, so that its client reads the 413. */
const MAX_DRAIN_BYTES = 2 * 1024 * 1024;

export interface AppDeps {
  /** The default service's use cases, at /v1/verifications (and the webhooks and operator API). */
  readonly verifier: Verifier;
  /**
   * Every service (the default one included) by id: at /v1/services/{sid}/verifications and
   * /v2/Services/{sid}. Absent: only the default service, at /v1/verifications.
   */
  readonly services?: readonly ServedService[] | undefined;
  /** When non-empty, every /v1 route but the webhooks needs one of these as a Bearer token. */
  readonly apiKeys?: readonly string[] | undefined;
  /** The only keys that reach the operator API (/v1/fraud); API keys never do. */
  readonly adminKeys?: readonly string[] | undefined;
  readonly logger?: Logger | undefined;
  /** Whether the stores answer (for /readyz); absent means always ready. */
  readonly ready?: (() => Promise<boolean>) | undefined;
  /** The providers' circuits, for /readyz: ready only while every route has a provider not open. */
  readonly providers?: { circuits(): Readonly<Record<string, string>>; usable(): boolean } | undefined;
  /** Serves GET /metrics and times every request; absent where no metrics library runs. */
  readonly metrics?: Metrics | undefined;
  /** Chart.js for GET /console; absent: no console page (the operator API is still served). */
  readonly console?: ConsoleAssets | undefined;
  /** Swagger UI's files for GET /docs; absent: no docs page (the document is still served). */
  readonly docs?: DocsAssets | undefined;
  /** Send attempts for the operator API (/v1/attempts, /v2/Attempts); absent: those routes are not served. */
  readonly attempts?: AttemptStore | undefined;
  /** The event webhooks' outbox, for GET /v1/events/failed and redelivery; absent: not served. */
  readonly events?: EventAdmin | undefined;
  /** The stored safe list (/v1/safe-list, /v2/SafeList/Numbers); absent: those routes are not served. */
  readonly safeList?: SafeList | undefined;
  /** Providers' delivery callbacks, each at /v1/webhooks/{provider}/status; any other answers SMS_013. */
  readonly webhooks?: readonly DeliveryWebhook[] | undefined;
  /** Where Idempotency-Key claims are kept; absent: the header is not honoured. */
  readonly idempotency?: IdempotencyDeps | undefined;
  /** The Twilio Verify v2 routes under /v2 (HTTP Basic with the API keys); absent: not served. */
  readonly verifyV2?: { readonly sids: VerificationSids; readonly now: () => Date } | undefined;
}

/** Builds the app; returns it typed with every route, for `hc<AppType>()`. */
export function createApp(deps: AppDeps) {
  const logger = deps.logger ?? silentLogger;
  const app = new Hono<AppEnv>();

  app.use(requestId());
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    // The route pattern, never the raw path: the path of GET /v1/verifications/:phone holds a phone.
    const route = c.req.routePath;
    deps.metrics?.request(route, c.req.method, c.res.status, seconds);
    logger.info(
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        route,
        status: c.res.status,
        durationMs: Math.round(seconds * 100_000) / 100,
      },
      'request',
    );
  });
  app.use(
    limitBody(MAX_BODY_BYTES, MAX_DRAIN_BYTES, (c) => {
      const error = fail('PAYLOAD_TOO_LARGE', `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`).error;
      // Checked before routing, so by path: the Verify v2 routes answer in Twilio's shape.
      return deps.verifyV2 && new URL(c.req.url).pathname.includes('/v2/')
        ? verifyV2Error(c, error, logger)
        : problem(c, error);
    }),
  );

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const stores = deps.ready ? await deps.ready().catch(() => false) : true;
    const ready = stores && (deps.providers?.usable() ?? true);
    return c.json(
      { status: ready ? 'ready' : 'unavailable', ...(deps.providers ? { providers: deps.providers.circuits() } : {}) },
      ready ? 200 : 503,
    );
  });

  const metrics = deps.metrics;
  if (metrics) {
    app.get('/metrics', async (c) => {
      const { contentType, body } = await metrics.render();
      return c.body(body, 200, { 'Content-Type': contentType });
    });
  }

  let document: ReturnType<typeof buildOpenApiDocument> | undefined;
  const webhooks = deps.webhooks ?? [];
  app.get('/openapi.json', (c) =>
    c.json(
      (document ??= buildOpenApiDocument({
        secured: Boolean(deps.apiKeys?.length),
        adminSecured: Boolean(deps.adminKeys?.length || deps.apiKeys?.length),
        attempts: Boolean(deps.attempts),
        safeList: Boolean(deps.safeList),
        events: Boolean(deps.events),
        webhooks,
        verifyV2: Boolean(deps.verifyV2),
      })),
    ),
  );
  const docs = deps.docs;
  if (docs) {
    const page = (body: string, type: string) => (c: Context) =>
      c.body(body, 200, { 'Content-Type': type, 'Content-Security-Policy': DOCS_CSP });
    app.get('/docs', page(DOCS_HTML, 'text/html; charset=utf-8'));
    app.get('/docs/init.js', page(DOCS_INIT, 'text/javascript; charset=utf-8'));
    app.get('/docs/swagger-ui-bundle.js', page(docs.script, 'text/javascript; charset=utf-8'));
    app.get('/docs/swagger-ui.css', page(docs.style, 'text/css; charset=utf-8'));
  }

  // The webhooks are mounted first, and answer without calling next(), so the API-key guard
  // below never runs for them; it is matched by route, not by comparing paths, so it holds
  // when the app is mounted under a prefix.
  app.route('/v1/webhooks', webhookRoutes(deps.verifier, webhooks, logger));
  // The operator API likewise answers before the API-key guard: it has its own keys.
  app.route('/v1/fraud', fraudRoutes(deps.verifier, deps, logger));
  if (deps.attempts) app.route('/v1/attempts', attemptRoutes(deps.attempts, deps));
  if (deps.safeList) app.route('/v1/safe-list', safeListRoutes(deps.safeList, deps, logger));
  if (deps.events) app.route('/v1/events', eventRoutes(deps.events, deps));
  app.route(
    '/v1/operator',
    operatorRoutes(
      { services: deps.services ?? [], circuits: deps.providers ? () => deps.providers!.circuits() : undefined },
      deps,
    ),
  );
  const consoleAssets = deps.console;
  if (consoleAssets) {
    const file = (body: string, type: string) => (c: Context) =>
      c.body(body, 200, { 'Content-Type': type, 'Content-Security-Policy': CONSOLE_CSP, 'Cache-Control': 'no-store' });
    app.get('/console', file(CONSOLE_HTML, 'text/html; charset=utf-8'));
    app.get('/console/console.js', file(CONSOLE_JS, 'text/javascript; charset=utf-8'));
    app.get('/console/console.css', file(CONSOLE_CSS, 'text/css; charset=utf-8'));
    app.get('/console/chart.js', file(consoleAssets.chart, 'text/javascript; charset=utf-8'));
  }
  // Verify v2 has its own guard (HTTP Basic, as the SDK authenticates) over the same keys.
  if (deps.verifyV2) {
    // The operator's resources first: they take admin keys, which the Verify routes' guard refuses.
    app.route(
      '/v2',
      adminV2Routes({
        attempts: deps.attempts,
        safeList: deps.safeList,
        adminKeys: deps.adminKeys ?? [],
        apiKeys: deps.apiKeys ?? [],
        logger,
      }),
    );
    app.route(
      '/v2',
      verifyRoutes({ services: deps.services ?? [], apiKeys: deps.apiKeys ?? [], logger, ...deps.verifyV2 }),
    );
  }
  if (deps.apiKeys && deps.apiKeys.length > 0) app.use('/v1/*', requireApiKey(deps.apiKeys));
  const verifications = verificationRoutes(() => deps.verifier, logger);
  const serviceOf = serviceIndex(deps.services);
  const scoped = verificationRoutes((c) => serviceOf(c.req.param('serviceSid'))!.verifier, logger);
  const SCOPED = '/v1/services/:serviceSid/verifications';
  app.use(`${SCOPED}/*`, async (c, next) => {
    const sid = c.req.param('serviceSid');
    if (serviceOf(sid)) return next();
    return problem(c, fail('NO_ROUTE', `No service ${sid.slice(0, 40)}: it is not in SERVICES_FILE.`).error);
  });
  // A fixed path beside a parameter (/check beside /:phone) would be read as the parameter for
  // the fixed path's other methods (GET /check as a phone): those answer 405 before any route.
  for (const [path, methods] of methodsByPath(verifications.routes)) {
    if (path.includes(':')) continue;
    for (const base of ['/v1/verifications', SCOPED]) {
      app.use(`${base}${path}`, async (c, next) => {
        if (!methods.has(c.req.method)) return methodNotAllowed(c, [...methods].join(', '));
        await next();
      });
    }
  }
  const idempotency = deps.idempotency;
  if (idempotency) {
    const replayable = idempotentRequests(idempotency, logger);
    for (const base of ['/v1/verifications', SCOPED]) {
      app.use(base, (c, next) => (c.req.method === 'POST' ? replayable(c, next) : next()));
    }
  }
  const routes = app.route('/v1/verifications', verifications);
  app.route(SCOPED, scoped);

  // A path that exists answers 405 for other methods; derived from the routes so it cannot drift.
  for (const [path, methods] of methodsByPath(app.routes)) {
    app.all(path, (c) => methodNotAllowed(c, [...methods].join(', ')));
  }
  app.notFound(noRoute);
  app.onError((error, c) => {
    if (error instanceof HTTPException && error.status === 400) {
      return problem(c, fail('MALFORMED_REQUEST', 'The body is not valid JSON.', { fields: [] }).error);
    }
    logUnexpected(c, error, logger);
    return problem(c, fail('INTERNAL', 'Unexpected error; quote the request id when reporting it.').error);
  });
  return routes;
}

export type AppType = ReturnType<typeof createApp>;

/** The methods each path has handlers for (middleware, registered as ALL, left out). */
function methodsByPath(routes: readonly { path: string; method: string }[]) {
  const allowed = new Map<string, Set<string>>();
  for (const { path, method } of routes) {
    if (method !== 'ALL' && path !== '/*') allowed.set(path, (allowed.get(path) ?? new Set()).add(method));
  }
  return allowed;
}
