// Vonage as a provider: its settings, their checks, the SDK sender and its signed delivery receipts.
import * as v from 'valibot';
import { defineProvider } from '../../ports/adapter-descriptor.ts';
import { e164, int, secret, url } from '../settings/schemas.ts';

const METHODS = ['md5hash', 'md5', 'sha1', 'sha256', 'sha512'] as const;

export const vonageProvider = defineProvider({
  name: 'vonage',
  settings: {
    VONAGE_API_KEY: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9]{6,32}$/, 'must be the account’s API key'))),
    VONAGE_API_SECRET: v.optional(secret('Vonage API secret')),
    VONAGE_FROM: v.optional(
      v.pipe(
        v.string(),
        v.regex(
          /^(\+?[1-9][0-9]{6,14}|(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11})$/,
          'must be a number or an alphanumeric sender id of up to 11 characters',
        ),
      ),
    ),
    VONAGE_APPLICATION_ID: v.optional(v.pipe(v.string(), v.uuid('must be the Vonage application’s id (a UUID)'))),
    // A .env holds the PEM on one line with \n for its line breaks.
    VONAGE_PRIVATE_KEY: v.optional(
      v.pipe(
        v.string(),
        v.transform((pem) => pem.replace(/\\n/g, '\n')),
        v.regex(
          /-----BEGIN (RSA )?PRIVATE KEY-----[\s\S]+-----END (RSA )?PRIVATE KEY-----/,
          'must be a PEM private key',
        ),
      ),
    ),
    VONAGE_VOICE_FROM: e164,
    VONAGE_WHATSAPP_FROM: e164,
    VONAGE_API_BASE_URL: url,
    VONAGE_SIGNATURE_SECRET: v.optional(secret('Vonage signature secret')),
    VONAGE_SIGNATURE_METHOD: v.optional(v.picklist(METHODS, `must be one of ${METHODS.join(', ')}`), 'md5hash'),
    VONAGE_TIMEOUT_MS: int(500, 60_000, 10_000),
    VONAGE_MAX_RETRIES: int(0, 5, 2),
  },
  channels: ['sms', 'call', 'whatsapp'],
  configuredBy: (input) => Boolean(input['VONAGE_API_KEY']),
  requires: 'VONAGE_API_KEY, VONAGE_API_SECRET and VONAGE_FROM',
  check(input) {
    const problems: [string, string][] = [];
    if (!input['VONAGE_API_KEY']) return problems;
    for (const name of ['VONAGE_API_SECRET', 'VONAGE_FROM'])
      if (!input[name]) problems.push([name, `${name} is required with VONAGE_API_KEY`]);
    // Calls go through the Voice API, which takes only an application's JWT.
    if (input['VONAGE_VOICE_FROM'])
      for (const name of ['VONAGE_APPLICATION_ID', 'VONAGE_PRIVATE_KEY'])
        if (!input[name]) problems.push([name, `${name} is required with VONAGE_VOICE_FROM (the Voice API)`]);
    if (Boolean(input['VONAGE_APPLICATION_ID']) !== Boolean(input['VONAGE_PRIVATE_KEY']))
      problems.push(['VONAGE_PRIVATE_KEY', 'VONAGE_APPLICATION_ID and VONAGE_PRIVATE_KEY go together']);
    return problems;
  },
  async build(s, { logger, publicBaseUrl }) {
    // The SDK runs on Node only: loaded when Vonage is in use, so the registry stays Web-only.
    const [{ createVonageSender }, { createVonageWebhook, VONAGE_STATUS_PATH }] = await Promise.all([
      import('./vonage-sender.ts'),
      import('./vonage-webhook.ts'),
    ]);
    // Receipts are asked for only where they can be checked: with a public URL and a signature secret.
    const receipts = Boolean(publicBaseUrl && s.VONAGE_SIGNATURE_SECRET);
    logger.info(
      { apiBaseUrl: s.VONAGE_API_BASE_URL ?? 'https://rest.nexmo.com', callbacks: receipts },
      'Vonage sender ready',
    );
    const sender = createVonageSender({
      apiKey: s.VONAGE_API_KEY!,
      apiSecret: s.VONAGE_API_SECRET!,
      from: s.VONAGE_FROM!,
      application:
        s.VONAGE_APPLICATION_ID && s.VONAGE_PRIVATE_KEY
          ? { id: s.VONAGE_APPLICATION_ID, privateKey: s.VONAGE_PRIVATE_KEY }
          : undefined,
      voiceFrom: s.VONAGE_VOICE_FROM,
      whatsappFrom: s.VONAGE_WHATSAPP_FROM,
      apiBaseUrl: s.VONAGE_API_BASE_URL,
      timeoutMs: s.VONAGE_TIMEOUT_MS,
      retry: { maxRetries: s.VONAGE_MAX_RETRIES },
      callbackUrl: receipts ? publicBaseUrl + VONAGE_STATUS_PATH : undefined,
      report: (message) => logger.error({ provider: 'vonage' }, message),
    });
    const webhooks = s.VONAGE_SIGNATURE_SECRET
      ? [createVonageWebhook({ signatureSecret: s.VONAGE_SIGNATURE_SECRET, method: s.VONAGE_SIGNATURE_METHOD })]
      : [];
    return { sender, webhooks };
  },
});
