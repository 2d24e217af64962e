// Twilio as a provider: its settings, their cross-checks, and the SDK sender with signed status callbacks.
import * as v from 'valibot';
import {
  defineProvider,
  type ProviderContext,
  type ProviderDescriptor,
  type SettingsOf,
} from '../../ports/adapter-descriptor.ts';
import { e164, int, secret, url } from '../settings/schemas.ts';
import type { TwilioSenderOptions } from './twilio-config.ts';
import { createTwilioFetchSender } from './twilio-fetch-sender.ts';
import { createTwilioWebhook, TWILIO_STATUS_PATH } from './twilio-webhook.ts';
import { createWebCryptoTwilioVerifier } from './webcrypto-signature.ts';

const settings = {
  TWILIO_ACCOUNT_SID: v.optional(
    v.pipe(v.string(), v.regex(/^AC[0-9a-fA-F]{32}$/, 'must be AC followed by 32 hex digits')),
  ),
  TWILIO_AUTH_TOKEN: v.optional(secret('Twilio auth token')),
  TWILIO_FROM: v.optional(
    v.pipe(
      v.string(),
      v.regex(
        /^(\+[1-9][0-9]{6,14}|(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11})$/,
        'must be an E.164 number or an alphanumeric sender id of up to 11 characters',
      ),
    ),
  ),
  TWILIO_MESSAGING_SERVICE_SID: v.optional(
    v.pipe(v.string(), v.regex(/^MG[0-9a-fA-F]{32}$/, 'must be MG followed by 32 hex digits')),
  ),
  TWILIO_VOICE_FROM: e164,
  TWILIO_WHATSAPP_FROM: e164,
  TWILIO_WHATSAPP_CONTENT_SID: v.optional(
    v.pipe(v.string(), v.regex(/^HX[0-9a-fA-F]{32}$/, 'must be HX followed by 32 hex digits')),
  ),
  TWILIO_API_BASE_URL: url,
  TWILIO_TIMEOUT_MS: int(500, 60_000, 10_000),
  TWILIO_MAX_RETRIES: int(0, 5, 2),
};

/** What both flavours share: name, settings and their checks. */
const described: Omit<ProviderDescriptor<typeof settings>, 'build'> = {
  name: 'twilio',
  settings,
  channels: ['sms', 'call', 'whatsapp'],
  configuredBy: (input) => Boolean(input['TWILIO_ACCOUNT_SID']),
  requires: 'TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM (or TWILIO_MESSAGING_SERVICE_SID)',
  check(input) {
    const problems: [string, string][] = [];
    const sid = input['TWILIO_ACCOUNT_SID'];
    const token = input['TWILIO_AUTH_TOKEN'];
    if (Boolean(sid) !== Boolean(token)) {
      const missing = sid ? 'TWILIO_AUTH_TOKEN' : 'TWILIO_ACCOUNT_SID';
      problems.push([missing, `${missing} is required with ${sid ? 'TWILIO_ACCOUNT_SID' : 'TWILIO_AUTH_TOKEN'}`]);
    }
    if (sid && !input['TWILIO_FROM'] && !input['TWILIO_MESSAGING_SERVICE_SID'])
      problems.push([
        'TWILIO_FROM',
        'TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID is required with the Twilio settings',
      ]);
    return problems;
  },
};

type Parsed = SettingsOf<typeof settings>;

/** The sender's options from the settings, whichever client sends. */
function senderOptions(s: Parsed, { logger, publicBaseUrl }: ProviderContext): TwilioSenderOptions {
  logger.info(
    { apiBaseUrl: s.TWILIO_API_BASE_URL ?? 'https://api.twilio.com', callbacks: Boolean(publicBaseUrl) },
    'Twilio sender ready',
  );
  return {
    accountSid: s.TWILIO_ACCOUNT_SID!,
    authToken: s.TWILIO_AUTH_TOKEN!,
    from: s.TWILIO_FROM,
    messagingServiceSid: s.TWILIO_MESSAGING_SERVICE_SID,
    apiBaseUrl: s.TWILIO_API_BASE_URL,
    timeoutMs: s.TWILIO_TIMEOUT_MS,
    statusCallbackUrl: publicBaseUrl ? publicBaseUrl + TWILIO_STATUS_PATH : undefined,
    retry: { maxRetries: s.TWILIO_MAX_RETRIES },
    report: (message) => logger.error({ provider: 'twilio' }, message),
    // Calls need a number to call from: TWILIO_VOICE_FROM, else TWILIO_FROM when it is one.
    voiceFrom: s.TWILIO_VOICE_FROM ?? (s.TWILIO_FROM?.startsWith('+') ? s.TWILIO_FROM : undefined),
    whatsappFrom: s.TWILIO_WHATSAPP_FROM,
    whatsappContentSid: s.TWILIO_WHATSAPP_CONTENT_SID,
  };
}

/** On Node: the official SDK sends, and checks the signatures of status callbacks. */
export const twilioProvider = defineProvider({
  ...described,
  async build(s, context) {
    // The SDK runs on Node only: loaded when Twilio is the provider, so the registry stays Web-only.
    const [{ createTwilioSdkSender }, { createSdkTwilioVerifier }] = await Promise.all([
      import('./twilio-sdk-sender.ts'),
      import('./sdk-signature.ts'),
    ]);
    const sender = createTwilioSdkSender(senderOptions(s, context));
    const { publicBaseUrl } = context;
    const webhooks = publicBaseUrl
      ? [createTwilioWebhook({ signatures: createSdkTwilioVerifier(s.TWILIO_AUTH_TOKEN!), publicBaseUrl })]
      : [];
    return { sender, webhooks };
  },
});

/** Where the SDK cannot run (Workers): the same REST calls through fetch, signatures through Web Crypto. */
export const twilioFetchProvider = defineProvider({
  ...described,
  async build(s, context) {
    const sender = createTwilioFetchSender(senderOptions(s, context));
    const { publicBaseUrl } = context;
    const webhooks = publicBaseUrl
      ? [createTwilioWebhook({ signatures: createWebCryptoTwilioVerifier(s.TWILIO_AUTH_TOKEN!), publicBaseUrl })]
      : [];
    return { sender, webhooks };
  },
});
