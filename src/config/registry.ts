// The adapters the service can be built from: one line per provider or store backend.
import { consoleProvider } from '../adapters/console/descriptor.ts';
import { durableObjectsStore } from '../adapters/durable-objects/descriptor.ts';
import { httpGatewayProvider } from '../adapters/http-gateway/descriptor.ts';
import { memoryStore } from '../adapters/memory/descriptor.ts';
import { mongodbStore } from '../adapters/mongodb/descriptor.ts';
import { twilioFetchProvider, twilioProvider } from '../adapters/twilio/descriptor.ts';
import { vonageProvider } from '../adapters/vonage/descriptor.ts';
import type { ProviderDescriptor, StoreDescriptor } from '../ports/adapter-descriptor.ts';

/** SMS providers; with SMS_PROVIDER unset, the first one whose settings are given (console last). */
export const PROVIDERS = [twilioProvider, vonageProvider, httpGatewayProvider, consoleProvider] as const;

/** Store backends, in order of preference: the first one whose settings are given (memory last). */
export const STORES = [mongodbStore, memoryStore] as const;

/** What an entry builds from: these registries, or more (an embedding app's own provider). */
export interface Registry {
  readonly providers: readonly ProviderDescriptor[];
  readonly stores: readonly StoreDescriptor[];
}

export const REGISTRY: Registry = { providers: PROVIDERS, stores: STORES };

/**
 * Cloudflare Workers: Twilio through fetch (its SDK needs Node), the HTTP gateway, the console; the
 * stores on Durable Objects. Vonage's SDK needs Node: reach Vonage there through the HTTP gateway.
 */
export const WORKERS_REGISTRY: Registry = {
  providers: [twilioFetchProvider, httpGatewayProvider, consoleProvider],
  stores: [durableObjectsStore],
};
