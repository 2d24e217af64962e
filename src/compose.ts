// The Node composition: chooses the Node adapters from settings and hands them to createService.
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { systemClock } from './adapters/clock/system-clock.ts';
import { createNodeCodeHasher } from './adapters/node-crypto/node-code-hasher.ts';
import { createPrometheusMetrics } from './adapters/prometheus/prometheus-metrics.ts';
import { buildProviders, storeAdapters } from './compose-providers.ts';
import { policyFromSettings } from './config/policy-from-settings.ts';
import { REGISTRY, type Registry } from './config/registry.ts';
import { MAX_SERVICES_FILE_BYTES, parseServicesFile, type ServicesResult } from './config/services-file.ts';
import type { Settings } from './config/settings.ts';
import { randomId } from './domain/random.ts';
import { isStoreUnavailable } from './domain/store-outage.ts';
import type { ConsoleAssets } from './http/console/console-assets.ts';
import type { DocsAssets } from './http/docs-page.ts';
import type { Logger } from './ports/logger.ts';
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
    const parsed = parseServicesFile(buffer.toString('utf8', 0, length), policyFromSettings(settings));
    return parsed.ok ? routesKnown(parsed, settings) : parsed;
  } catch (error) {
    return refuse(`cannot be read: ${(error as NodeJS.ErrnoException).code ?? error}`);
  } finally {
    closeSync(fd);
  }
}

/** Every provider a service's `routes` names must be registered and configured, as SMS_ROUTES' must. */
function routesKnown(parsed: ServicesResult & { ok: true }, settings: Settings): ServicesResult {
  const errors = parsed.services.flatMap((service) =>
    [...(service.policy.routes?.values() ?? [])].flat().flatMap((name) => {
      const descriptor = REGISTRY.providers.find((d) => d.name === name);
      if (!descriptor) return [`SERVICES_FILE ${service.sid} routes name ${name}, which is not a provider`];
      return descriptor.configuredBy(settings)
        ? []
        : [`SERVICES_FILE ${service.sid} routes name ${name}, which needs ${descriptor.requires}`];
    }),
  );
  return errors.length > 0 ? { ok: false, errors: [...new Set(errors)] } : parsed;
}

/** A start-up failure an operator fixes (a store that cannot be reached): one message, no stack. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/**
 * Builds the service on Node from the registry: the store backend whose settings are given (else
 * memory) and the provider SMS_PROVIDER names (else the first whose settings are given, else the
 * console). A new provider or store is its folder and one line in `config/registry.ts`.
 */
export async function composeService(
  settings: Settings,
  options: ComposeOptions,
  registry: Registry = REGISTRY,
): Promise<Service> {
  const { logger } = options;
  const backend = registry.stores.find((d) => d.configuredBy(settings))!;
  const stores = await backend
    .build(settings, {
      logger,
      clock: systemClock,
      attemptsRetentionMs: settings.ATTEMPTS_RETENTION_DAYS * 86_400_000,
    })
    .catch((error: unknown) => {
      if (!isStoreUnavailable(error)) throw error;
      const where = backend.where?.(settings);
      throw new StartupError(
        `the ${backend.name} store${where ? ` at ${where}` : ''} is unavailable: ${(error as Error).message}`,
        { cause: error },
      );
    });
  const serviceRoutes = (options.services?.services ?? []).flatMap((service) =>
    [...(service.policy.routes?.values() ?? [])].flat(),
  );
  const provider = await buildProviders(settings, registry, { logger, writeSms: options.writeSms }, serviceRoutes);
  const secrets = settings.CODE_SECRET?.length ? settings.CODE_SECRET : [randomId() + randomId()];
  return createService(
    settings,
    {
      ...storeAdapters(stores),
      sender: provider.sender,
      webhooks: provider.webhooks,
      providers: provider.failover,
      hasher: createNodeCodeHasher(secrets),
      clock: systemClock,
      logger,
      metrics: createPrometheusMetrics(),
      docs: readDocsAssets(),
      console: readConsoleAssets(),
    },
    options.services?.services,
  );
}

/** Swagger UI's bundle and style from swagger-ui-dist, served by the service so /docs needs no network. */
function readDocsAssets(): DocsAssets {
  const dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  return {
    script: readFileSync(join(dir, 'swagger-ui-bundle.js'), 'utf8'),
    style: readFileSync(join(dir, 'swagger-ui.css'), 'utf8'),
  };
}

/** Chart.js's UMD bundle, served by the service so /console needs no network (the package exports no path to it). */
function readConsoleAssets(): ConsoleAssets {
  const main = createRequire(import.meta.url).resolve('chart.js');
  return { chart: readFileSync(join(dirname(main), 'chart.umd.min.js'), 'utf8') };
}
