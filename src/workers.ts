// The Cloudflare Workers entry: the same service, its stores on Durable Objects, its timers on alarms.

import { systemClock } from './adapters/clock/system-clock.ts';
import { StoreObject } from './adapters/durable-objects/store-object.ts';
import { createCodeHasher } from './adapters/web-crypto/code-hasher.ts';
import { buildProviders, storeAdapters } from './compose-providers.ts';
import { WORKERS_REGISTRY } from './config/registry.ts';
import { parseSettings, type Settings } from './config/settings.ts';
import { ERRORS } from './domain/errors.ts';
import { randomId } from './domain/random.ts';
import { createConsoleLogger } from './logging/console-logger.ts';
import { createService, type Service } from './service.ts';

type WorkerEnv = Readonly<Record<string, unknown>>;
interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void;
}

const logger = createConsoleLogger();
/** The object that runs background work on its alarm (fallback steps, the sealed-code sweep). */
const SCHEDULER = 'scheduler';
let safeListReadAt = 0;

/** One service per isolate, built on the first request from the Worker's variables and bindings. */
let built: Promise<{ service: Service; settings: Settings }> | undefined;

function serviceFor(env: WorkerEnv) {
  built ??= build(env).catch((error: unknown) => {
    built = undefined;
    throw error;
  });
  return built;
}

async function build(env: WorkerEnv) {
  // Text variables are settings; objects are bindings (the STORE namespace).
  const text = Object.fromEntries(Object.entries(env).filter(([, value]) => typeof value === 'string')) as Record<
    string,
    string
  >;
  const loaded = parseSettings(text, WORKERS_REGISTRY);
  if (!loaded.ok) throw new SettingsError(loaded.errors);
  const { settings } = loaded;
  for (const warning of loaded.warnings) logger.warn({}, `WARNING: ${warning}`);
  if (settings.SERVICES_FILE) throw new SettingsError(['SERVICES_FILE names a file, and a Worker has no files']);
  const backend = WORKERS_REGISTRY.stores[0]!;
  const stores = await backend.build(settings, {
    logger,
    clock: systemClock,
    bindings: env,
    attemptsRetentionMs: settings.ATTEMPTS_RETENTION_DAYS * 86_400_000,
  });
  const provider = await buildProviders(settings, WORKERS_REGISTRY, { logger });
  const secrets = settings.CODE_SECRET?.length ? settings.CODE_SECRET : [randomId() + randomId()];
  const service = createService(settings, {
    ...storeAdapters(stores),
    sender: provider.sender,
    webhooks: provider.webhooks,
    providers: provider.failover,
    hasher: await createCodeHasher(secrets),
    clock: systemClock,
    logger,
    timers: false,
  });
  return { service, settings };
}

class SettingsError extends Error {
  constructor(readonly errors: readonly string[]) {
    super(`cannot start, fix these settings: ${errors.join('; ')}`);
  }
}

const scheduler = (env: WorkerEnv) => {
  const namespace = env['STORE'] as { idFromName(n: string): unknown; get(id: unknown): SmsVerifyStore };
  return namespace.get(namespace.idFromName(SCHEDULER));
};

/**
 * The store class (bind it as STORE). Its `scheduler` object also keeps the background work going:
 * each send wakes it, and while sends keep coming its alarm fires every FALLBACK_POLL_SECONDS.
 */
export class SmsVerifyStore extends StoreObject<WorkerEnv> {
  /** Arms the alarm unless one is set; the work goes on until `keepMs` after the last wake-up. */
  async wake(pollMs: number, keepMs: number): Promise<void> {
    const kv = this.ctx.storage.kv;
    kv.put('scheduler/until', Date.now() + keepMs);
    kv.put('scheduler/poll', pollMs);
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + pollMs);
  }

  async alarm(): Promise<void> {
    const kv = this.ctx.storage.kv;
    try {
      const { service } = await serviceFor(this.env);
      if (service.hasWorkflows) await service.runDueSteps();
      await service.eraseExpiredSeals();
      await service.deliverEvents();
      await service.settledRecords();
    } catch (error) {
      // A store outage costs this pass, not the schedule: the next alarm tries again.
      logger.warn({ cause: (error as Error).message }, 'scheduled pass failed');
    } finally {
      const until = (kv.get('scheduler/until') as number | undefined) ?? 0;
      const poll = (kv.get('scheduler/poll') as number | undefined) ?? 2000;
      if (Date.now() < until) await this.ctx.storage.setAlarm(Date.now() + poll);
    }
  }
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContextLike): Promise<Response> {
    let service: Service;
    let settings: Settings;
    try {
      ({ service, settings } = await serviceFor(env));
    } catch (error) {
      // Like a Node process that refuses to start: the reasons in the log (never a secret's
      // value), and every request answered with a stable code rather than a half-built service.
      const errors = error instanceof SettingsError ? error.errors : [(error as Error).message];
      logger.error({ errors }, 'sms-verify cannot start');
      const { code, title } = ERRORS.INTERNAL;
      const body = {
        type: `urn:sms-verify:error:${code}`,
        title,
        status: 500,
        detail: 'cannot start: see the log',
        code,
      };
      return new Response(JSON.stringify(body), {
        status: 500,
        headers: { 'Content-Type': 'application/problem+json' },
      });
    }
    // No timers between requests on Workers: this isolate reads the stored safe list at most every 10 s.
    if (Date.now() - safeListReadAt > 10_000) {
      safeListReadAt = Date.now();
      ctx.waitUntil(service.refreshSafeList().catch(() => undefined));
    }
    if (request.method === 'POST') {
      // A send may leave work for later (a fallback step, a sealed code to erase at expiry, an
      // event to deliver, retried for a day).
      const keepMs = settings.EVENT_WEBHOOK_URL ? 24 * 3_600_000 : (settings.CODE_TTL_SECONDS + 60) * 1000;
      ctx.waitUntil(
        scheduler(env)
          .wake(settings.FALLBACK_POLL_SECONDS * 1000, keepMs)
          .catch((error: unknown) => logger.warn({ cause: (error as Error).message }, 'scheduler wake-up failed')),
      );
    }
    const response = await service.app.fetch(request, env, ctx as never);
    // Records written after the answer (attempts, events) must finish: a Worker's work ends with
    // its response unless handed to waitUntil.
    ctx.waitUntil(service.settledRecords());
    return response;
  },
};
