// The adapters the service can be built from: one line per provider or store backend.
import { consoleProvider } from '../adapters/console/descriptor.ts';
import { httpGatewayProvider } from '../adapters/http-gateway/descriptor.ts';
import { memoryStore } from '../adapters/memory/descriptor.ts';
import { mongodbStore } from '../adapters/mongodb/descriptor.ts';
import { twilioProvider } from '../adapters/twilio/descriptor.ts';
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
