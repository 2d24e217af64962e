// The Node composition: chooses the Node adapters from settings and hands them to createService.
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { systemClock } from './adapters/clock/system-clock.ts';
import { createConsoleSender } from './adapters/console/console-sender.ts';
import { createMemoryCodeStore } from './adapters/memory/memory-code-store.ts';
import { createMemoryFraudStore } from './adapters/memory/memory-fraud-store.ts';
import { createMemoryIdempotencyStore } from './adapters/memory/memory-idempotency-store.ts';
import { createMemorySendLimitStore } from './adapters/memory/memory-send-limit-store.ts';
import { createMongoStores } from './adapters/mongodb/mongo-stores.ts';
import { createNodeCodeHasher } from './adapters/node-crypto/node-code-hasher.ts';
import { createPrometheusMetrics } from './adapters/prometheus/prometheus-metrics.ts';
import { createSdkTwilioVerifier } from './adapters/twilio/sdk-signature.ts';
import { createTwilioSdkSender } from './adapters/twilio/twilio-sdk-sender.ts';
import { createTwilioWebhook, TWILIO_STATUS_PATH } from './adapters/twilio/twilio-webhook.ts';
import { policyFromSettings } from './config/policy-from-settings.ts';
import { MAX_SERVICES_FILE_BYTES, parseServicesFile, type ServicesResult } from './config/services-file.ts';
import type { Settings } from './config/settings.ts';
import { randomId } from './domain/random.ts';
import type { DocsAssets } from './http/docs-page.ts';
import type { CodeStore } from './ports/code-store.ts';
import type { DeliveryWebhook } from './ports/delivery-webhook.ts';
import type { FraudStore } from './ports/fraud-store.ts';
import type { IdempotencyStore } from './ports/idempotency-store.ts';
import type { Logger } from './ports/logger.ts';
import type { MessageSender } from './ports/message-sender.ts';
import type { SendLimitStore } from './ports/send-limit-store.ts';
import { createService, type Service } from './service.ts';

export type { Service } from './service.ts';

export interface ComposeOptions {
  readonly logger: Logger;
  /** Where the console sender writes its `[sms] to=… text=…` lines. */
  readonly writeSms?: (line: string) => void;
  /** The services SERVICES_FILE declares (see `readServicesFile`); absent: the default service only. */
  readonly services?: ServicesResult & { ok: true };
}

/**
 * Reads and checks SERVICES_FILE; with none set, no services beyond the default one. Only a regular
 * file of at most 1 MiB is read: opened without blocking and checked on the open descriptor, so a
 * named pipe, a device such as /dev/zero or a huge file stops start-up with one message, never a hang.
 */
export function readServicesFile(settings: Settings): ServicesResult {
  const path = settings.SERVICES_FILE;
  if (!path) return { ok: true, services: [] };
  const refuse = (why: string): ServicesResult => ({ ok: false, errors: [`SERVICES_FILE ${why}`] });
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return refuse(`cannot be read: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return refuse('must be a regular file');
    if (stat.size > MAX_SERVICES_FILE_BYTES) return refuse(`must be at most ${MAX_SERVICES_FILE_BYTES} bytes (1 MiB)`);
    // One byte past the cap, in case the file grew after fstat.
    const buffer = Buffer.alloc(MAX_SERVICES_FILE_BYTES + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n)
      n = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > MAX_SERVICES_FILE_BYTES) return refuse(`must be at most ${MAX_SERVICES_FILE_BYTES} bytes (1 MiB)`);
    return parseServicesFile(buffer.toString('utf8', 0, length), policyFromSettings(settings));
  } catch (error) {
    return refuse(`cannot be read: ${(error as NodeJS.ErrnoException).code ?? error}`);
  } finally {
    closeSync(fd);
  }
}

/** Builds the service on Node. With no store or provider settings: memory stores and the console sender. */
export async function composeService(settings: Settings, options: ComposeOptions): Promise<Service> {
  const { logger } = options;
  const stores = await createStores(settings, logger);
  const provider = PROVIDERS[settings.SMS_PROVIDER](settings, options);
  const secrets = settings.CODE_SECRET?.length ? settings.CODE_SECRET : [randomId() + randomId()];
  return createService(
    settings,
    {
      ...stores,
      ...provider,
      hasher: createNodeCodeHasher(secrets),
      clock: systemClock,
      logger,
      metrics: createPrometheusMetrics(),
      docs: readDocsAssets(),
    },
    options.services?.services,
  );
}

interface Provider {
  readonly sender: MessageSender;
  readonly webhooks: readonly DeliveryWebhook[];
}

/** One entry per SMS_PROVIDER: a new provider is its folder, its settings and one line here. */
const PROVIDERS: Record<Settings['SMS_PROVIDER'], (settings: Settings, options: ComposeOptions) => Provider> = {
  console: (_settings, { logger, writeSms }) => {
    logger.warn(
      {},
      'WARNING: SMS_PROVIDER=console (no Twilio settings): the console sender prints every code to standard output and sends no SMS. Development only.',
    );
    return { sender: createConsoleSender(writeSms), webhooks: [] };
  },
  twilio: (settings, { logger }) => {
    const base = settings.PUBLIC_BASE_URL;
    const authToken = settings.TWILIO_AUTH_TOKEN!;
    logger.info(
      { apiBaseUrl: settings.TWILIO_API_BASE_URL ?? 'https://api.twilio.com', callbacks: Boolean(base) },
      'Twilio sender ready',
    );
    const sender = createTwilioSdkSender({
      accountSid: settings.TWILIO_ACCOUNT_SID!,
      authToken,
      from: settings.TWILIO_FROM,
      messagingServiceSid: settings.TWILIO_MESSAGING_SERVICE_SID,
      apiBaseUrl: settings.TWILIO_API_BASE_URL,
      timeoutMs: settings.TWILIO_TIMEOUT_MS,
      statusCallbackUrl: base ? base + TWILIO_STATUS_PATH : undefined,
      retry: { maxRetries: settings.TWILIO_MAX_RETRIES },
      report: (message) => logger.error({ provider: 'twilio' }, message),
    });
    const webhooks = base
      ? [createTwilioWebhook({ signatures: createSdkTwilioVerifier(authToken), publicBaseUrl: base })]
      : [];
    return { sender, webhooks };
  },
};

interface Stores {
  readonly codes: CodeStore;
  readonly limits: SendLimitStore;
  readonly idempotency: IdempotencyStore;
  readonly fraud: FraudStore;
  readonly closeStores: () => Promise<void>;
}

async function createStores(settings: Settings, logger: Logger): Promise<Stores> {
  if (settings.MONGODB_URI) {
    const stores = await createMongoStores({
      uri: settings.MONGODB_URI,
      dbName: settings.MONGODB_DB,
      clock: systemClock,
      warn: (message, fields) => logger.warn(fields ?? {}, `WARNING: ${message}`),
      serverSelectionTimeoutMs: settings.MONGODB_TIMEOUT_MS,
      reconnectAfterMs: settings.MONGODB_RECONNECT_SECONDS * 1000,
    });
    logger.info(
      { server: stores.server, database: stores.databaseName, ttlIndexes: stores.indexes.ttl },
      'MongoDB stores ready',
    );
    return {
      codes: stores.codes,
      limits: stores.limits,
      idempotency: stores.idempotency,
      fraud: stores.fraud,
      closeStores: () => stores.close(),
    };
  }
  logger.warn(
    {},
    'WARNING: no MONGODB_URI: in-memory stores in use. Nothing persists across restarts and limits are per process.',
  );
  const max = settings.MEMORY_MAX_VERIFICATIONS;
  const evicted = (what: string, cap: number) => (count: number) =>
    logger.warn(
      { evicted: count, cap },
      `WARNING: in-memory store full: dropped the ${count} oldest live ${what} (MEMORY_MAX_VERIFICATIONS=${max})`,
    );
  return {
    codes: createMemoryCodeStore({ maxEntries: max, onEvict: evicted('verifications', max) }),
    // A send charges its phone's key, and shares prefix, IP and day keys with others: room for three per verification.
    limits: createMemorySendLimitStore({ maxEntries: 3 * max, onEvict: evicted('send-limit keys', 3 * max) }),
    idempotency: createMemoryIdempotencyStore(),
    fraud: createMemoryFraudStore(),
    closeStores: async () => {},
  };
}

/** Swagger UI's bundle and style from swagger-ui-dist, served by the service so /docs needs no network. */
function readDocsAssets(): DocsAssets {
  const dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  return {
    script: readFileSync(join(dir, 'swagger-ui-bundle.js'), 'utf8'),
    style: readFileSync(join(dir, 'swagger-ui.css'), 'utf8'),
  };
}
