// The throwaway provider as an adapter folder describes itself: its settings, its checks, its build.
import * as v from 'valibot';
import { defineProvider } from '../../../src/ports/adapter-descriptor.ts';
import { createAcmeProvider } from './acme-provider.ts';

export const acmeProvider = defineProvider({
  name: 'acme',
  settings: {
    ACME_SECRET: v.optional(v.pipe(v.string(), v.minLength(16, 'must be at least 16 characters'))),
    ACME_REGION: v.optional(v.picklist(['eu', 'us'], 'must be eu or us'), 'eu'),
  },
  channels: ['sms'],
  configuredBy: (input) => Boolean(input['ACME_SECRET']),
  requires: 'ACME_SECRET',
  async build(settings, { logger }) {
    logger.info({ region: settings.ACME_REGION }, 'Acme sender ready');
    const acme = createAcmeProvider(settings.ACME_SECRET!);
    lastBuilt = acme;
    return { sender: acme.sender, webhooks: [acme.webhook] };
  },
});

/** The provider the last build made, so a test can read Acme's outbox. */
export let lastBuilt: ReturnType<typeof createAcmeProvider> | undefined;
