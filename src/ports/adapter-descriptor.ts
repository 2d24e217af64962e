// What an adapter folder says of itself: its name, its settings, what it provides and how to build it.
import type { GenericSchema, InferOutput } from 'valibot';
import type { Channel } from '../domain/verification/channel.ts';
import type { AttemptStore } from './attempt-store.ts';
import type { Clock } from './clock.ts';
import type { CodeStore } from './code-store.ts';
import type { DeliveryWebhook } from './delivery-webhook.ts';
import type { EventOutbox } from './event-outbox.ts';
import type { FraudStore } from './fraud-store.ts';
import type { IdempotencyStore } from './idempotency-store.ts';
import type { Logger } from './logger.ts';
import type { MessageSender } from './message-sender.ts';
import type { SafeListStore } from './safe-list-store.ts';
import type { SendLimitStore } from './send-limit-store.ts';

/** Environment variables as read: empty ones already unset. */
export type Env = Readonly<Record<string, string | undefined>>;

/** An adapter's environment variables, each a valibot schema over its raw text (undefined when unset). */
export type SettingsEntries = Readonly<Record<string, GenericSchema<string | undefined, unknown>>>;

/** The parsed values of `E`, as `build` receives them. */
export type SettingsOf<E extends SettingsEntries> = { readonly [K in keyof E]: InferOutput<E[K]> };

interface Described<E extends SettingsEntries> {
  /** Lower case; a provider's is what SMS_PROVIDER names and what every outcome carries. */
  readonly name: string;
  readonly settings: E;
  /** Problems across its variables, on the raw input: [variable, message] each. */
  readonly check?: (input: Env) => readonly (readonly [string, string])[];
  /** Whether the input (raw or parsed; unset is undefined in both) gives its settings. */
  readonly configuredBy: (input: Readonly<Record<string, unknown>>) => boolean;
  /** The variables that configure it, for messages: `MONGODB_URI`. */
  readonly requires: string;
  /**
   * Set for adapters that are not for production (they keep nothing, or print codes): what they
   * are, for the message that refuses them there unless ALLOW_DEVELOPMENT_ADAPTERS=true.
   */
  readonly development?: string;
}

export interface ProviderContext {
  readonly logger: Logger;
  /** PUBLIC_BASE_URL: where delivery callbacks can reach the service, when known. */
  readonly publicBaseUrl: string | undefined;
  /** Where a development sender writes its `[sms] to=… text=…` lines. */
  readonly writeSms?: ((line: string) => void) | undefined;
}

export interface Provider {
  readonly sender: MessageSender;
  readonly webhooks: readonly DeliveryWebhook[];
}

/** An SMS (or voice, or WhatsApp) provider: `src/adapters/<name>/descriptor.ts`. */
export interface ProviderDescriptor<E extends SettingsEntries = SettingsEntries> extends Described<E> {
  /** The channels its sender delivers. */
  readonly channels: readonly Channel[];
  build(settings: SettingsOf<E>, context: ProviderContext): Promise<Provider>;
}

export interface StoreContext {
  readonly logger: Logger;
  readonly clock: Clock;
  /** What the platform hands a runtime entry besides text settings (a Worker's Durable Object bindings). */
  readonly bindings?: Readonly<Record<string, unknown>> | undefined;
  /** How long send attempts are kept (ATTEMPTS_RETENTION_DAYS). */
  readonly attemptsRetentionMs?: number | undefined;
}

export interface Stores {
  readonly codes: CodeStore;
  readonly limits: SendLimitStore;
  readonly idempotency: IdempotencyStore;
  readonly fraud: FraudStore;
  /** Send attempts, for /v1/attempts and the console; absent where the backend keeps none. */
  readonly attempts?: AttemptStore;
  /** The safe list kept beside FRAUD_SAFE_LIST (/v1/safe-list, /v2/SafeList/Numbers). */
  readonly safeList?: SafeListStore;
  /** Lifecycle events waiting for the app's endpoint (EVENT_WEBHOOK_URL). */
  readonly outbox?: EventOutbox;
  close(): Promise<void>;
}

/** A backend for every store port: `src/adapters/<name>/descriptor.ts`. */
export interface StoreDescriptor<E extends SettingsEntries = SettingsEntries> extends Described<E> {
  /** Where it keeps its data, for a start-up message (hosts, never credentials). */
  where?(settings: SettingsOf<E>): string;
  build(settings: SettingsOf<E>, context: StoreContext): Promise<Stores>;
}

/** Keeps `E` for `build`'s settings: `export const twilio = defineProvider({...})`. */
export const defineProvider = <E extends SettingsEntries>(d: ProviderDescriptor<E>): ProviderDescriptor<E> => d;
export const defineStore = <E extends SettingsEntries>(d: StoreDescriptor<E>): StoreDescriptor<E> => d;
