// The providers a service sends through, from settings: runtime-neutral, for the Node and Workers entries.
import type { FailoverSender } from './adapters/failover/failover-sender.ts';
import type { Registry } from './config/registry.ts';
import type { Settings } from './config/settings.ts';
import type { Provider, Stores } from './ports/adapter-descriptor.ts';
import type { DeliveryWebhook } from './ports/delivery-webhook.ts';
import type { Logger } from './ports/logger.ts';
import type { MessageSender } from './ports/message-sender.ts';

/**
 * Every provider SMS_PROVIDER and SMS_ROUTES name, built once each. One provider is used as it is;
 * several go behind the failover sender (routes by country, a circuit breaker each).
 */
export async function buildProviders(
  settings: Settings,
  registry: Registry,
  context: { logger: Logger; writeSms?: ((line: string) => void) | undefined },
  /** Providers the services' own routes name. */
  more: readonly string[] = [],
): Promise<{ sender: FailoverSender | MessageSender; webhooks: DeliveryWebhook[]; failover?: FailoverSender }> {
  const names = [...new Set([...settings.SMS_PROVIDER, ...[...settings.SMS_ROUTES.values()].flat(), ...more])];
  const built = new Map<string, Provider>();
  for (const name of names) {
    const descriptor = registry.providers.find((d) => d.name === name)!;
    built.set(name, await descriptor.build(settings, { ...context, publicBaseUrl: settings.PUBLIC_BASE_URL }));
  }
  const webhooks = [...built.values()].flatMap((p) => p.webhooks);
  if (names.length === 1) return { sender: built.get(names[0]!)!.sender, webhooks };
  // Loaded only for several providers: its breaker library sets up abort signals as it loads,
  // which a Worker may do only while handling a request, not when its script is read.
  const { createFailoverSender } = await import('./adapters/failover/failover-sender.ts');
  const failover = createFailoverSender({
    senders: new Map([...built].map(([name, p]) => [name, p.sender])),
    order: settings.SMS_PROVIDER,
    routes: settings.SMS_ROUTES,
    breaker: {
      failures: settings.PROVIDER_BREAKER_FAILURES,
      halfOpenAfterMs: settings.PROVIDER_BREAKER_SECONDS * 1000,
    },
    onFailover: (from, reason) => context.logger.warn({ provider: from, reason }, 'provider failed over'),
    onCircuit: (provider, state) =>
      (state === 'open' ? context.logger.error : context.logger.info).call(
        context.logger,
        { provider, circuit: state },
        `provider circuit ${state.replace('_', ' ')}`,
      ),
  });
  context.logger.info(
    { order: settings.SMS_PROVIDER, routes: Object.fromEntries(settings.SMS_ROUTES) },
    'failover between providers',
  );
  return { sender: failover, webhooks, failover };
}

/** What a store backend hands createService, the same from every runtime entry. */
export const storeAdapters = (stores: Stores) => ({
  codes: stores.codes,
  limits: stores.limits,
  idempotency: stores.idempotency,
  fraud: stores.fraud,
  attempts: stores.attempts,
  safeList: stores.safeList,
  outbox: stores.outbox,
  closeStores: () => stores.close(),
});
