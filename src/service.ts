// createService(settings, adapters): the runtime-neutral wiring of rules, events, metrics and the app.
import { createDrain } from './adapters/drain/drain.ts';
import { createEventWebhookSender } from './adapters/event-webhook/event-webhook-sender.ts';
import { createAttemptRecorder } from './application/attempt-recorder.ts';
import { createBackgroundQueue } from './application/background-queue.ts';
import { deliverDueEvents } from './application/deliver-events.ts';
import { createEventPublisher } from './application/event-publisher.ts';
import { runDueSteps } from './application/run-workflow.ts';
import { createSafeList } from './application/safe-list.ts';
import { scopeCodeStore, scopeSendLimits } from './application/service-scope.ts';
import { createVerifier, type Verifier } from './application/verifier.ts';
import type { VerifierDeps } from './application/verifier-deps.ts';
import { policyFromSettings } from './config/policy-from-settings.ts';
import type { ServiceConfig } from './config/services-file.ts';
import type { Settings } from './config/settings.ts';
import type { VerificationEvent } from './domain/events.ts';
import { renderMessage } from './domain/message/message.ts';
import { DEFAULT_TEMPLATES } from './domain/message/message-templates.ts';
import { countSegments } from './domain/message/sms-segments.ts';
import type { ConsoleAssets } from './http/console/console-assets.ts';
import { createApp } from './http/create-app.ts';
import type { DocsAssets } from './http/docs-page.ts';
import type { ServedService } from './http/served-service.ts';
import { verificationSidsFrom } from './http/verify-v2/verification-sid.ts';
import { createLogEventSink } from './logging/log-events.ts';
import type { AttemptStore } from './ports/attempt-store.ts';
import type { DeliveryWebhook } from './ports/delivery-webhook.ts';
import type { EventOutbox } from './ports/event-outbox.ts';
import type { EventSink } from './ports/events.ts';
import type { IdempotencyStore } from './ports/idempotency-store.ts';
import type { Logger } from './ports/logger.ts';
import type { Metrics } from './ports/metrics.ts';
import type { SafeListStore } from './ports/safe-list-store.ts';

/** How often each instance erases the sealed codes of expired verifications. */
const SEAL_SWEEP_SECONDS = 60;
/** How often an instance reads the stored safe list, for entries other instances added. */
const SAFE_LIST_REFRESH_SECONDS = 10;
/** How often due events are sent to EVENT_WEBHOOK_URL, and how many a pass claims. */
const EVENT_DELIVERY_SECONDS = 1;
const EVENT_BATCH = 100;
/** Records waiting to be written; past this, new ones are dropped (and counted). */
const BACKGROUND_QUEUE_LIMIT = 10_000;

/** What a runtime entry chooses: every adapter, built for its runtime. */
/** The ports the use cases drive (VerifierDeps, less what settings give), and the service's own. */
export interface ServiceAdapters extends Pick<VerifierDeps, 'codes' | 'limits' | 'sender' | 'hasher' | 'clock'> {
  /** The sender's delivery callbacks, when its provider has them and they are configured. */
  readonly webhooks?: readonly DeliveryWebhook[];
  readonly logger: Logger;
  readonly metrics?: Metrics | undefined;
  readonly docs?: DocsAssets | undefined;
  readonly console?: ConsoleAssets | undefined;
  /** Where Idempotency-Key claims are kept (in the same store as the codes). */
  readonly idempotency?: IdempotencyStore | undefined;
  /** The fraud guard's counts and blocks (in the same store as the codes); absent: the guard is off. */
  readonly fraud?: VerifierDeps['fraud'];
  /** The providers' circuits when several fail over (for /readyz and /metrics). */
  readonly providers?: { circuits(): Readonly<Record<string, string>>; usable(): boolean } | undefined;
  /** Closes what the stores hold open (a driver's connection pool). */
  readonly closeStores?: () => Promise<void>;
  /**
   * Whether the service runs its background work (fallback steps, the sealed-code sweep) on its
   * own timers; default true. A runtime without long-lived timers (Workers: alarms) calls
   * `runDueSteps` and `eraseExpiredSeals` itself.
   */
  readonly timers?: boolean;
  /** More consumers of the use cases' events (the event webhooks' outbox). */
  readonly sinks?: readonly EventSink[];
  /** Send attempts: recorded from the events, served on /v1/attempts and /v2/Attempts. */
  readonly attempts?: AttemptStore | undefined;
  /** The stored safe list, beside FRAUD_SAFE_LIST: /v1/safe-list and /v2/SafeList/Numbers. */
  readonly safeList?: SafeListStore | undefined;
  /** Lifecycle events waiting for EVENT_WEBHOOK_URL. */
  readonly outbox?: EventOutbox | undefined;
}

export interface Service {
  readonly app: ReturnType<typeof createApp>;
  /** Flips /readyz to 503 while the server drains. */
  startDraining(): void;
  /**
   * At the shutdown deadline: no message is handed to the provider any more, so a send cut
   * there answers as a provider failure and takes back its charges instead of exiting half-done.
   */
  stopSending(): void;
  /** Resolves once no use case is in flight (requests whose connection was closed included). */
  settled(): Promise<void>;
  /** One pass of the fallback scheduler now (it also runs by itself); how many steps went out. */
  runDueSteps(): Promise<number>;
  /** One pass of the sealed-code sweep now (it also runs by itself); how many were erased. */
  eraseExpiredSeals(): Promise<number>;
  /** Whether any service has a fallback workflow (so `runDueSteps` can send anything). */
  readonly hasWorkflows: boolean;
  /** Delivers what is due now, pass after pass while there is a backlog (up to a second; it also runs by itself); how many were delivered. */
  deliverEvents(): Promise<number>;
  /** Resolves once the records written after answers (attempts, outgoing events) are in. */
  settledRecords(): Promise<void>;
  /** Reads the stored safe list again (it also does so by itself every 10 s where timers run). */
  refreshSafeList(): Promise<void>;
  /** Stops background work and closes the stores. */
  close(): Promise<void>;
}

/**
 * Wires one verifier per service and the app from settings and adapters, with Web APIs only.
 * `services` (from SERVICES_FILE) may redefine the default service (VERIFY_SERVICE_SID) and add
 * others; every service shares the stores, the sender and the abuse controls.
 */
export function createService(
  settings: Settings,
  adapters: ServiceAdapters,
  services: readonly ServiceConfig[] = [],
): Service {
  const { logger, metrics } = adapters;
  const base = policyFromSettings(settings);
  const defaultSid = settings.VERIFY_SERVICE_SID;
  const configs: ServiceConfig[] = [
    services.find((s) => s.sid === defaultSid) ?? { sid: defaultSid, friendlyName: base.message.appName, policy: base },
    ...services.filter((s) => s.sid !== defaultSid),
  ];
  const sinks: EventSink[] = [createLogEventSink(logger)];
  const circuits = adapters.providers;
  if (circuits) metrics?.watchCircuits?.(() => circuits.circuits());
  if (metrics) sinks.push({ emit: (event) => metrics.event(event) });
  if (adapters.sinks) sinks.push(...adapters.sinks);
  const sids = verificationSidsFrom(adapters.hasher);
  // Records (attempts, outgoing events) are written after the answer, in order, through one
  // bounded queue: a slow or failing store costs records (counted), never a send's time.
  const background = createBackgroundQueue(
    BACKGROUND_QUEUE_LIMIT,
    (error) => logger.warn({ cause: (error as Error).message }, 'background record failed'),
    () => metrics?.dropped?.('record'),
  );
  const enqueue = (task: () => Promise<unknown>) => void background.push(task);
  const verificationSid = (phone: string, createdAt: Date) => sids.sidFor(phone, createdAt);
  if (adapters.attempts)
    sinks.push(createAttemptRecorder({ attempts: adapters.attempts, clock: adapters.clock, verificationSid, enqueue }));
  // Each service's endpoint: its own from SERVICES_FILE, else EVENT_WEBHOOK_URL, else none.
  const endpointAt = (target: { url: string; secret: string }) =>
    createEventWebhookSender({ ...target, timeoutMs: settings.EVENT_WEBHOOK_TIMEOUT_MS });
  const fallback =
    settings.EVENT_WEBHOOK_URL && settings.EVENT_WEBHOOK_SECRET
      ? endpointAt({ url: settings.EVENT_WEBHOOK_URL, secret: settings.EVENT_WEBHOOK_SECRET })
      : null;
  const endpoints = new Map(configs.map((c) => [c.sid, c.eventWebhook ? endpointAt(c.eventWebhook) : fallback]));
  const endpointFor = (sid: string) => endpoints.get(sid) ?? fallback;
  const outbox = adapters.outbox && [...endpoints.values()].some(Boolean) ? adapters.outbox : null;
  if (outbox)
    sinks.push(
      createEventPublisher({
        outbox,
        clock: adapters.clock,
        publishes: (sid) => endpointFor(sid) !== null,
        verificationSid,
        attempts: adapters.attempts,
        enqueue,
      }),
    );
  let delivering = false;
  const deliverEvents = async () => {
    if (!outbox || delivering) return 0;
    delivering = true;
    try {
      // Passes follow one another while each finds a full batch (a backlog), up to a second.
      const until = Date.now() + 1000;
      let delivered = 0;
      for (;;) {
        const pass = await deliverDueEvents({
          outbox,
          endpointFor,
          clock: adapters.clock,
          batch: EVENT_BATCH,
          onGivenUp: (event, error) => {
            metrics?.dropped?.('webhook');
            logger.error(
              { webhookId: event.id, eventType: event.type, attempts: event.attempts + 1, cause: error },
              'event webhook given up after 24 h of retries',
            );
          },
        });
        delivered += pass.delivered;
        if (pass.claimed < EVENT_BATCH || Date.now() >= until) return delivered;
      }
    } finally {
      delivering = false;
    }
  };
  const deliveryTimer =
    outbox && (adapters.timers ?? true)
      ? setInterval(() => {
          if (draining) return;
          void deliverEvents().catch((error: unknown) =>
            logger.warn({ cause: (error as Error).message }, 'event delivery pass failed'),
          );
        }, EVENT_DELIVERY_SECONDS * 1000)
      : null;
  (deliveryTimer as { unref?: () => void } | null)?.unref?.();
  const safeList = adapters.safeList ? createSafeList(adapters.safeList, adapters.clock) : null;
  const refreshSafeList = () =>
    void safeList
      ?.refresh()
      .catch((error: unknown) => logger.warn({ cause: (error as Error).message }, 'safe list refresh failed'));
  refreshSafeList();
  const safeListTimer =
    safeList && (adapters.timers ?? true) ? setInterval(refreshSafeList, SAFE_LIST_REFRESH_SECONDS * 1000) : null;
  (safeListTimer as { unref?: () => void } | null)?.unref?.();
  const drain = createDrain();
  const sender = drain.gate(adapters.sender);
  const events: EventSink = {
    emit: (event, subject) => {
      for (const sink of sinks) sink.emit(event, subject);
    },
  };
  const createdAt = adapters.clock.now();
  /** Each service with a fallback workflow, for the scheduler. */
  const workflows: { deps: VerifierDeps; bareOnly: boolean }[] = [];
  const served = configs.map((config, index): ServedService => {
    warnOnLongMessages(config, logger);
    // The default service's records are filed under bare numbers, the shape of the service this one
    // replaces, so its data stays readable; other services' under their sid.
    const isDefault = index === 0;
    const deps: VerifierDeps = {
      codes: isDefault ? adapters.codes : scopeCodeStore(adapters.codes, config.sid),
      limits: isDefault ? adapters.limits : scopeSendLimits(adapters.limits, config.sid),
      sender,
      clock: adapters.clock,
      hasher: adapters.hasher,
      policy: safeList
        ? { ...config.policy, fraud: { ...config.policy.fraud, safeList: safeList.view(config.policy.fraud.safeList) } }
        : config.policy,
      fraud: adapters.fraud,
      // Each event names the service it happened in (the default one too).
      events: {
        emit: (event, subject) => events.emit({ ...event, serviceSid: config.sid } as VerificationEvent, subject),
      },
    };
    if (config.policy.workflow) workflows.push({ deps, bareOnly: isDefault });
    const bound = createVerifier(deps);
    return {
      sid: config.sid,
      friendlyName: config.friendlyName,
      codeLength: config.policy.codeLength,
      customCodeEnabled: config.policy.customCodes,
      createdAt,
      verifier: tracked(bound, drain),
    };
  });
  let draining = false;
  // The fallback scheduler: every FALLBACK_POLL_SECONDS each service's due steps are claimed and
  // sent (one pass at a time; a store outage costs a pass, reported).
  let passing = false;
  const timers = adapters.timers ?? true;
  const scheduler =
    workflows.length === 0 || !timers
      ? null
      : setInterval(() => {
          if (passing || draining) return;
          passing = true;
          void drain
            .track(async () => {
              for (const { deps, bareOnly } of workflows) await runDueSteps(deps, { bareOnly });
            })
            .catch((error: unknown) => logger.warn({ cause: (error as Error).message }, 'fallback pass failed'))
            .finally(() => {
              passing = false;
            });
        }, settings.FALLBACK_POLL_SECONDS * 1000);
  (scheduler as { unref?: () => void } | null)?.unref?.();
  // Sealed codes (kept for resends) are erased once their verification expires, not only at
  // purge: one indexed update a minute per instance, whatever it finds.
  const sweeper = timers
    ? setInterval(() => {
        if (draining) return;
        void drain
          .track(() => adapters.codes.eraseExpiredSeals(adapters.clock.now()))
          .catch((error: unknown) => logger.warn({ cause: (error as Error).message }, 'sealed-code sweep failed'));
      }, SEAL_SWEEP_SECONDS * 1000)
    : null;
  (sweeper as { unref?: () => void } | null)?.unref?.();
  const app = createApp({
    verifier: served[0]!.verifier,
    services: served,
    apiKeys: settings.API_KEYS,
    adminKeys: settings.ADMIN_API_KEYS,
    logger,
    metrics,
    docs: adapters.docs,
    console: adapters.console,
    webhooks: adapters.webhooks,
    verifyV2: {
      sids,
      now: () => adapters.clock.now(),
    },
    idempotency: adapters.idempotency ? { store: adapters.idempotency, now: () => adapters.clock.now() } : undefined,
    providers: adapters.providers,
    attempts: adapters.attempts,
    safeList: safeList ?? undefined,
    events: outbox ? { outbox, now: () => adapters.clock.now() } : undefined,
    ready: async () => {
      if (draining) return false;
      // Every store a request can touch, so a service whose fraud or idempotency store is down is not ready.
      await Promise.all([
        adapters.codes.ping(),
        adapters.limits.ping(),
        adapters.fraud?.ping(),
        adapters.idempotency?.ping(),
      ]);
      return true;
    },
  });
  return {
    app,
    startDraining: () => {
      draining = true;
    },
    stopSending: () => drain.stopSending(),
    settled: () => drain.settled(),
    close: async () => {
      if (scheduler) clearInterval(scheduler);
      if (sweeper) clearInterval(sweeper);
      if (safeListTimer) clearInterval(safeListTimer);
      if (deliveryTimer) clearInterval(deliveryTimer);
      await background.settled();
      await adapters.closeStores?.();
    },
    hasWorkflows: workflows.length > 0,
    deliverEvents,
    settledRecords: () => background.settled(),
    refreshSafeList: async () => {
      await safeList?.refresh();
    },
    eraseExpiredSeals: () => adapters.codes.eraseExpiredSeals(adapters.clock.now()),
    runDueSteps: async () => {
      let sent = 0;
      for (const { deps, bareOnly } of workflows) sent += await runDueSteps(deps, { bareOnly });
      return sent;
    },
  };
}

/** A use case goes on after its client's connection is closed; shutdown waits for it. */
function tracked(bound: Verifier, drain: ReturnType<typeof createDrain>): Verifier {
  // Every use case the verifier binds, whatever they are: the list lives in verifier.ts alone.
  const wrap =
    (run: (...args: never[]) => Promise<unknown>) =>
    (...args: never[]) =>
      drain.track(() => run(...args));
  return Object.fromEntries(Object.entries(bound).map(([name, run]) => [name, wrap(run)])) as Verifier;
}

/** Warns when the longest message a service can produce needs more than one SMS segment. */
function warnOnLongMessages({ sid, policy }: ServiceConfig, logger: Logger) {
  const locales = policy.message.template ? ['en'] : Object.keys(DEFAULT_TEMPLATES);
  for (const locale of locales) {
    const text = renderMessage(policy.message, {
      code: '0'.repeat(policy.codeLength),
      ttlSeconds: policy.codeTtlSeconds,
      locale,
    });
    const count = countSegments(text);
    if (count.segments > 1) {
      logger.warn(
        { serviceSid: sid, locale, ...count },
        `WARNING: the SMS text takes ${count.segments} segments (${count.encoding}); each is billed.`,
      );
    }
  }
}
