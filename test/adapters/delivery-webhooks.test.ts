// Every DeliveryWebhook against its contract: Twilio's (signed with the real SDK) and the test provider's.
import twilio from 'twilio';
import { createSdkTwilioVerifier } from '../../src/adapters/twilio/sdk-signature.ts';
import { createTwilioWebhook, TWILIO_STATUS_PATH } from '../../src/adapters/twilio/twilio-webhook.ts';
import { createWebCryptoTwilioVerifier } from '../../src/adapters/twilio/webcrypto-signature.ts';
import type { DeliveryStatus } from '../../src/domain/verification/verification-record.ts';
import type { SignatureVerifier } from '../../src/ports/signature-verifier.ts';
import { deliveryWebhookContract } from '../contract/delivery-webhook.contract.ts';
import { createAcmeProvider } from '../plugin/acme/acme-provider.ts';

const TOKEN = 'contract-auth-token-0123456789';
const BASE = 'https://verify.example.com';
const TWILIO_WORDS: Record<DeliveryStatus, string> = {
  queued: 'queued',
  sent: 'sent',
  delivered: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
};

const twilioCallbacks = {
  async genuine(messageId: string, status: DeliveryStatus) {
    const params = { MessageSid: messageId, MessageStatus: TWILIO_WORDS[status], AccountSid: `AC${'1'.repeat(32)}` };
    const signature = twilio.getExpectedTwilioSignature(TOKEN, BASE + TWILIO_STATUS_PATH, params);
    return {
      path: TWILIO_STATUS_PATH,
      search: '',
      headers: new Headers({ 'X-Twilio-Signature': signature }),
      body: new URLSearchParams(params).toString(),
    };
  },
  async unsigned(messageId: string, status: DeliveryStatus) {
    return { ...(await twilioCallbacks.genuine(messageId, status)), headers: new Headers() };
  },
};

const onTwilio = (verifier: SignatureVerifier) => async () => ({
  webhook: createTwilioWebhook({ signatures: verifier, publicBaseUrl: BASE }),
  callbacks: twilioCallbacks,
});
deliveryWebhookContract('twilio, verified by the SDK', {
  fresh: onTwilio(createSdkTwilioVerifier(TOKEN)),
  capabilities: { signsBody: true },
});
deliveryWebhookContract('twilio, verified with Web Crypto', {
  fresh: onTwilio(createWebCryptoTwilioVerifier(TOKEN)),
  capabilities: { signsBody: true },
});

const ACME_SECRET = 'acme-shared-secret';
const acmeWords: Partial<Record<DeliveryStatus, string>> = { delivered: 'DELIVERED', failed: 'LOST' };
deliveryWebhookContract('acme (the test provider)', {
  capabilities: { signsBody: false },
  gaps: { signsBody: 'Acme proves the caller with a shared key in X-Acme-Key and signs no body' },
  fresh: async () => ({
    webhook: createAcmeProvider(ACME_SECRET).webhook,
    callbacks: {
      async genuine(messageId, status) {
        return {
          path: '/v1/webhooks/acme/status',
          search: '',
          headers: new Headers({ 'X-Acme-Key': ACME_SECRET }),
          body: JSON.stringify({ id: messageId, state: acmeWords[status] }),
        };
      },
      async unsigned(messageId, status) {
        return {
          path: '/v1/webhooks/acme/status',
          search: '',
          headers: new Headers(),
          body: JSON.stringify({ id: messageId, state: acmeWords[status] }),
        };
      },
    },
  }),
});
