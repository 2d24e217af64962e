// The provider seam: a second provider plugs in through createService with no change to src/http or src/domain.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/adapters/clock/manual-clock.ts';
import { createMemoryCodeStore } from '../../src/adapters/keyed-stores/memory-code-store.ts';
import { createMemorySendLimitStore } from '../../src/adapters/memory/memory-send-limit-store.ts';
import { createCodeHasher } from '../../src/adapters/web-crypto/code-hasher.ts';
import { composeService } from '../../src/compose.ts';
import { REGISTRY } from '../../src/config/registry.ts';
import { parseSettings, settingNames } from '../../src/config/settings.ts';
import { createService } from '../../src/service.ts';
import { undocumented } from '../support/docs-check.ts';
import { call, phonePath } from '../support/http.ts';
import { capturingLogger } from '../support/log-capture.ts';
import { createAcmeProvider } from './acme/acme-provider.ts';
import { acmeProvider, lastBuilt } from './acme/descriptor.ts';

const API_KEY = 'api-key-0123456789abcdef';
const PHONE = '+14155552671';

async function acmeService() {
  // Premium-rate numbers are allowed here so that the provider, not the number-type rule, refuses them.
  const loaded = parseSettings({ API_KEYS: API_KEY, ALLOWED_NUMBER_TYPES: 'fixed_line_or_mobile,premium_rate' });
  if (!loaded.ok) throw new Error(loaded.errors.join());
  const acme = createAcmeProvider('acme-shared-secret');
  const service = createService(loaded.settings, {
    codes: createMemoryCodeStore(),
    limits: createMemorySendLimitStore(),
    sender: acme.sender,
    webhooks: [acme.webhook],
    hasher: await createCodeHasher(['acme-test-secret-0123456789']),
    clock: createManualClock(),
    logger: capturingLogger(),
  });
  return { acme, app: service.app };
}

const auth = { Authorization: `Bearer ${API_KEY}` };

describe('a second SMS provider, plugged in at the composition', () => {
  it('sends through it, and its refusals answer SMS_007 like any provider', async () => {
    const { acme, app } = await acmeService();
    expect((await call(app, 'POST', '/v1/verifications', { phone: PHONE }, auth)).status).toBe(201);
    expect(acme.outbox).toMatchObject([{ id: 'acme-1', to: PHONE }]);
    const code = /code is (\d{6})/.exec(acme.outbox[0]!.text)![1]!;
    expect((await call(app, 'POST', '/v1/verifications/check', { phone: PHONE, code }, auth)).body.status).toBe(
      'approved',
    );
    const refused = await call(app, 'POST', '/v1/verifications', { phone: '+19005550100' }, auth);
    expect(refused).toMatchObject({ status: 422, body: { code: 'SMS_007', providerCode: 'ACME-PREMIUM' } });
  });

  it('serves its callbacks at /v1/webhooks/acme/status, outside the API keys, judged by its own signature', async () => {
    const { app } = await acmeService();
    await call(app, 'POST', '/v1/verifications', { phone: PHONE }, auth);
    const callback = (key: string, state: string) =>
      app.request('http://localhost/v1/webhooks/acme/status', {
        method: 'POST',
        headers: { 'X-Acme-Key': key },
        body: JSON.stringify({ id: 'acme-1', state }),
      });
    const forged = await callback('guess', 'DELIVERED');
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { code: string }).code).toBe('SMS_013');
    expect((await call(app, 'GET', phonePath(PHONE), undefined, auth)).body.delivery).toMatchObject({
      status: 'queued',
    });
    expect((await callback('acme-shared-secret', 'DELIVERED')).status).toBe(204);
    expect((await call(app, 'GET', phonePath(PHONE), undefined, auth)).body.delivery).toMatchObject({
      status: 'delivered',
    });
    expect((await app.request('http://localhost/v1/webhooks/twilio/status', { method: 'POST', body: '' })).status).toBe(
      403,
    );
  });

  it('appears in the API document with its headers and body', async () => {
    const { app } = await acmeService();
    const doc = (await call(app, 'GET', '/openapi.json')).body;
    const op = doc.paths['/v1/webhooks/acme/status'].post;
    expect(op.parameters).toEqual([{ name: 'X-Acme-Key', in: 'header', required: true, schema: { type: 'string' } }]);
    expect(op.requestBody.content['application/json'].schema.properties).toHaveProperty('state');
    expect(doc.paths['/v1/webhooks/twilio/status']).toBeUndefined();
  });
});

describe('a provider registered with one line in the registry', () => {
  // The one line: an entry's registry with Acme first.
  const registry = { ...REGISTRY, providers: [acmeProvider, ...REGISTRY.providers] };
  const env = { API_KEYS: API_KEY, ACME_SECRET: 'acme-shared-secret-0123', NODE_ENV: 'test' };

  it('has its settings in the merged schema: read, checked and chosen without editing config/settings.ts', () => {
    const loaded = parseSettings(env, registry);
    expect(loaded).toMatchObject({ ok: true, settings: { SMS_PROVIDER: ['acme'], ACME_REGION: 'eu' } });
    expect(parseSettings({ ...env, ACME_REGION: 'mars' }, registry)).toEqual({
      ok: false,
      errors: ['ACME_REGION must be eu or us'],
    });
    expect(parseSettings({ SMS_PROVIDER: 'acme' }, registry)).toEqual({
      ok: false,
      errors: ['SMS_PROVIDER=acme needs ACME_SECRET'],
    });
    // Without the line, nobody knows Acme.
    expect(parseSettings({ SMS_PROVIDER: 'acme' })).toMatchObject({
      ok: false,
      errors: [/^SMS_PROVIDER must list providers among/],
    });
  });

  it('is held to the README and .env.example check like the built-in settings', () => {
    const read = (path: string) => readFileSync(resolve(import.meta.dirname, '../..', path), 'utf8');
    expect(settingNames(registry)).toEqual(expect.arrayContaining(['ACME_SECRET', 'ACME_REGION', 'TWILIO_FROM']));
    expect(undocumented(settingNames(registry), read('README.md'), read('.env.example'))).toEqual([
      'ACME_SECRET',
      'ACME_REGION',
    ]);
  });

  it('is built by the Node composition, sends, and serves its callbacks in the API document', async () => {
    const loaded = parseSettings(env, registry);
    if (!loaded.ok) throw new Error(loaded.errors.join());
    const service = await composeService(loaded.settings, { logger: capturingLogger() }, registry);
    try {
      expect((await call(service.app, 'POST', '/v1/verifications', { phone: PHONE }, auth)).status).toBe(201);
      expect(lastBuilt?.outbox).toMatchObject([{ to: PHONE }]);
      const doc = (await call(service.app, 'GET', '/openapi.json')).body;
      expect(doc.paths['/v1/webhooks/acme/status'].post.parameters).toEqual([
        { name: 'X-Acme-Key', in: 'header', required: true, schema: { type: 'string' } },
      ]);
    } finally {
      await service.close();
    }
  });
});
