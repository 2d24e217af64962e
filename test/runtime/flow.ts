// A whole verification flow through createApp, importing only the package's Web-APIs entry:
// run by Bun and Deno (test/e2e/runtimes.test.ts) to show the domain and HTTP layers need no Node API.
import {
  createApp,
  createCodeHasher,
  createManualClock,
  createMemoryCodeStore,
  createMemorySendLimitStore,
  createRecordingSender,
  createTwilioWebhook,
  createVerifier,
  createWebCryptoTwilioVerifier,
  definePolicy,
} from '../../src/index.ts';

const sender = createRecordingSender();
const clock = createManualClock(new Date('2026-03-01T12:00:00Z'));
const verifier = createVerifier({
  codes: createMemoryCodeStore(),
  limits: createMemorySendLimitStore(),
  sender,
  clock,
  hasher: await createCodeHasher(['runtime-secret-0123456789']),
  policy: definePolicy({}),
});
const app = createApp({
  verifier,
  apiKeys: ['runtime-key-0123456789'],
  webhooks: [
    createTwilioWebhook({
      signatures: createWebCryptoTwilioVerifier('token-0123456789abcdef'),
      publicBaseUrl: 'https://x.example',
    }),
  ],
});
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
