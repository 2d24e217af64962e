// A whole verification flow through createService (settings parsed from an environment, the
// runtime-neutral wiring), importing only Web-API modules: run by Bun and Deno
// (test/e2e/runtimes.test.ts) to show the model, the use cases, config and HTTP need no Node API.
import { parseSettings } from '../../src/config/settings.ts';
import {
  createCodeHasher,
  createManualClock,
  createMemoryCodeStore,
  createMemorySendLimitStore,
  createRecordingSender,
  createService,
  createTwilioWebhook,
  createWebCryptoTwilioVerifier,
} from '../../src/index.ts';

const loaded = parseSettings({ API_KEYS: 'runtime-key-0123456789', NODE_ENV: 'test', FRAUD_GUARD: 'off' });
if (!loaded.ok) throw new Error(loaded.errors.join('; '));
const sender = createRecordingSender();
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const service = createService(loaded.settings, {
  codes: createMemoryCodeStore(),
  limits: createMemorySendLimitStore(),
  sender,
  clock: createManualClock(new Date('2026-03-01T12:00:00Z')),
  hasher: await createCodeHasher(['runtime-secret-0123456789']),
  logger: quiet,
  webhooks: [
    createTwilioWebhook({
      signatures: createWebCryptoTwilioVerifier('token-0123456789abcdef'),
      publicBaseUrl: 'https://x.example',
    }),
  ],
});
const { app } = service;
const headers = { 'Content-Type': 'application/json', Authorization: 'Bearer runtime-key-0123456789' };
const post = (path: string, body: unknown) =>
  app.request(`http://localhost${path}`, { method: 'POST', headers, body: JSON.stringify(body) });

const sent = await post('/v1/verifications', { phone: '+1 415 555 2671' });
const again = await post('/v1/verifications', { phone: '+14155552671' });
const wrong = await post('/v1/verifications/check', { phone: '+14155552671', code: '000000' });
const right = await post('/v1/verifications/check', { phone: '+14155552671', code: sender.lastCode('+14155552671') });
const unsigned = await app.request('http://localhost/v1/webhooks/twilio/status', {
  method: 'POST',
  body: 'MessageSid=SM1',
});
const doc = (await (await app.request('http://localhost/openapi.json')).json()) as { openapi: string };

console.log(
  JSON.stringify({
    sent: sent.status,
    again: [again.status, ((await again.json()) as { code: string }).code],
    wrong: [wrong.status, ((await wrong.json()) as { attemptsRemaining: number }).attemptsRemaining],
    right: ((await right.json()) as { status: string }).status,
    unsigned: unsigned.status,
    requestId: sent.headers.get('x-request-id') !== null,
    openapi: doc.openapi,
  }),
);
