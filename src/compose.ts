// Chooses adapters from settings and wires the verifier and the app: everything but the environment.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createConsoleSender } from './adapters/console/console-sender.ts';
import { systemClock } from './adapters/clock/system-clock.ts';
import { createMemorySendLimitStore } from './adapters/memory/memory-send-limit-store.ts';
import { createMemoryCodeStore } from './adapters/memory/memory-code-store.ts';
import { createMongoStores } from './adapters/mongodb/mongo-stores.ts';
import { createNodeCodeHasher } from './adapters/node-crypto/node-code-hasher.ts';
import { createPrometheusMetrics } from './adapters/prometheus/prometheus-metrics.ts';
import { createSdkTwilioVerifier } from './adapters/twilio/sdk-signature.ts';
import { createTwilioSdkSender } from './adapters/twilio/twilio-sdk-sender.ts';
import { policyFromSettings } from './config/policy-from-settings.ts';
import type { Settings } from './config/settings.ts';
import { renderMessage } from './domain/message.ts';
import { DEFAULT_TEMPLATES } from './domain/message-templates.ts';
import type { VerificationPolicy } from './domain/policy.ts';
import { countSegments } from './domain/sms-segments.ts';
import { randomId } from './domain/random.ts';
import { createVerifier } from './domain/verifier.ts';
import { createApp } from './http/create-app.ts';
import type { DocsAssets } from './http/docs-page.ts';
import type { Logger } from './ports/logger.ts';
import { createLogEventSink } from './logging/log-events.ts';
import type { SendLimitStore } from './ports/send-limit-store.ts';
import type { CodeStore } from './ports/code-store.ts';
import type { EventSink } from './ports/events.ts';
import type { SmsSender } from './ports/sms-sender.ts';

export interface Service {
  readonly app: ReturnType<typeof createApp>;
  /** Flips /readyz to 503 while the server drains. */
  startDraining(): void;
  /** Stops background work and closes the stores. */
  close(): Promise<void>;
}

export interface ComposeOptions {
  readonly logger: Logger;
  /** Where the console sender writes its `[sms]` lines. */
  readonly writeSms?: (line: string) => void;
}

/** Builds the service. With no store or provider settings: memory stores and the console sender. */
export async function composeService(settings: Settings, options: ComposeOptions): Promise<Service> {
  const { logger } = options;
  const stores = await createStores(settings, logger);
  const sender = createSender(settings, options);
  const metrics = createPrometheusMetrics();
  const policy = policyFromSettings(settings);
  warnOnLongMessages(policy, logger);
  const secrets = settings.CODE_SECRET?.length ? settings.CODE_SECRET : [randomId() + randomId()];
  const verifier = createVerifier({
    codes: stores.codes,
    limits: stores.limits,
    sender,
    clock: systemClock,
    hasher: createNodeCodeHasher(secrets),
    policy,
    events: fanOut(createLogEventSink(logger), { emit: (event) => metrics.event(event) }),
    statusCallbackUrl: settings.PUBLIC_BASE_URL ? `${settings.PUBLIC_BASE_URL}/v1/webhooks/twilio/status` : undefined,
  });
  let draining = false;
  const app = createApp({
    verifier,
    apiKeys: settings.API_KEYS,
    logger,
    metrics,
    docs: readDocsAssets(),
    webhook:
      settings.PUBLIC_BASE_URL && settings.TWILIO_AUTH_TOKEN
        ? { signatures: createSdkTwilioVerifier(settings.TWILIO_AUTH_TOKEN), publicBaseUrl: settings.PUBLIC_BASE_URL }
        : undefined,
    ready: async () => {
      if (draining) return false;
      await Promise.all([stores.codes.ping(), stores.limits.ping()]);
      return true;
    },
  });
  return {
    app,
    startDraining: () => {
      draining = true;
    },
    close: async () => {
      await stores.close();
    },
  };
}

interface Stores {
  codes: CodeStore;
  limits: SendLimitStore;
  close(): Promise<void>;
}

async function createStores(settings: Settings, logger: Logger): Promise<Stores> {
  if (settings.MONGODB_URI) {
    const stores = await createMongoStores({
      uri: settings.MONGODB_URI,
      dbName: settings.MONGODB_DB,
      clock: systemClock,
      warn: (message, fields) => logger.warn(fields ?? {}, `WARNING: ${message}`),
      serverSelectionTimeoutMs: settings.MONGODB_TIMEOUT_MS,
    });
    logger.info({ server: stores.server, database: stores.databaseName, ttlIndexes: stores.indexes.ttl }, 'MongoDB stores ready');
    return stores;
  }
  logger.warn({}, 'WARNING: no MONGODB_URI: in-memory stores in use. Nothing persists across restarts and limits are per process.');
  return { codes: createMemoryCodeStore(), limits: createMemorySendLimitStore(), close: async () => {} };
}

function createSender(settings: Settings, options: ComposeOptions): SmsSender {
  const { logger } = options;
  if (settings.TWILIO_ACCOUNT_SID && settings.TWILIO_AUTH_TOKEN) {
    logger.info({ apiBaseUrl: settings.TWILIO_API_BASE_URL ?? 'https://api.twilio.com', callbacks: Boolean(settings.PUBLIC_BASE_URL) }, 'Twilio sender ready');
    return createTwilioSdkSender({
      accountSid: settings.TWILIO_ACCOUNT_SID,
      authToken: settings.TWILIO_AUTH_TOKEN,
      from: settings.TWILIO_FROM,
      messagingServiceSid: settings.TWILIO_MESSAGING_SERVICE_SID,
      apiBaseUrl: settings.TWILIO_API_BASE_URL,
      timeoutMs: settings.TWILIO_TIMEOUT_MS,
      retry: { maxRetries: settings.TWILIO_MAX_RETRIES },
      report: (message) => logger.error({ provider: 'twilio' }, message),
    });
  }
  logger.warn({}, 'WARNING: no Twilio settings: the console sender prints every code to standard output and sends no SMS. Development only.');
  return createConsoleSender(options.writeSms);
}

/** Warns when the longest message this configuration can produce needs more than one SMS segment. */
function warnOnLongMessages(policy: VerificationPolicy, logger: Logger) {
  const locales = policy.message.template ? ['en'] : Object.keys(DEFAULT_TEMPLATES);
  for (const locale of locales) {
    const text = renderMessage(policy.message, { code: '0'.repeat(policy.codeLength), ttlSeconds: policy.codeTtlSeconds, locale });
    const count = countSegments(text);
    if (count.segments > 1) {
      logger.warn({ locale, ...count }, `WARNING: the SMS text takes ${count.segments} segments (${count.encoding}); each is billed.`);
    }
  }
}

/** Swagger UI's bundle and style from swagger-ui-dist, served by the service so /docs needs no network. */
function readDocsAssets(): DocsAssets {
  const dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  return {
    script: readFileSync(join(dir, 'swagger-ui-bundle.js'), 'utf8'),
    style: readFileSync(join(dir, 'swagger-ui.css'), 'utf8'),
  };
}

function fanOut(...sinks: EventSink[]): EventSink {
  return { emit: (event) => sinks.forEach((sink) => sink.emit(event)) };
}
