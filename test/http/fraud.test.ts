// Issue 13: SMS_015 over HTTP, and the operator API behind its own admin keys.
import { describe, expect, it } from 'vitest';
import { createMemoryFraudStore } from '../../src/adapters/keyed-stores/memory-fraud-store.ts';
import { DEFAULT_FRAUD_POLICY } from '../../src/domain/fraud/fraud-policy.ts';
import { createHarness } from '../support/harness.ts';
import { call } from '../support/http.ts';

const API_KEY = 'api-key-0123456789abcdef';
const ADMIN_KEY = 'admin-key-0123456789abcdef';
const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
const pumped = (i: number) => `+1415555${String(2000 + i).padStart(4, '0')}`;

async function blockedPrefix(app: { apiKeys?: string[]; adminKeys?: string[] } = {}) {
  const h = await createHarness({
    policy: { prefixSendLimit: 1000, fraud: DEFAULT_FRAUD_POLICY },
    fraud: createMemoryFraudStore(),
    app,
  });
  const headers = app.apiKeys ? bearer(app.apiKeys[0]!) : {};
  // The 21st send finds 20 sends and no approval: the prefix is blocked and that send refused.
  for (let i = 0; i < 21; i++) await call(h.app, 'POST', '/v1/verifications', { phone: pumped(i) }, headers);
  return { h, headers };
}

describe('the fraud guard over HTTP', () => {
  it('answers a send to a blocked prefix 403 SMS_015 with Retry-After, and sends nothing', async () => {
    const { h, headers } = await blockedPrefix();
    const res = await call(h.app, 'POST', '/v1/verifications', { phone: pumped(21) }, headers);
    expect(res).toMatchObject({ status: 403, body: { code: 'SMS_015', retryAfter: 43_200 } });
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('retry-after')).toBe('43200');
    expect(h.sender.sent).toHaveLength(20);
  });

  it('lists and lifts blocks with an admin key; an API key never reaches them', async () => {
    const { h, headers } = await blockedPrefix({ apiKeys: [API_KEY], adminKeys: [ADMIN_KEY] });
    for (const auth of [{}, headers, bearer(`${ADMIN_KEY}x`)]) {
      const res = await call(h.app, 'GET', '/v1/fraud/blocks', undefined, auth);
      expect(res).toMatchObject({ status: 401, body: { code: 'SMS_011' } });
      expect((await call(h.app, 'DELETE', '/v1/fraud/blocks/%2B141555', undefined, auth)).status).toBe(401);
    }
    // …and the admin key does not open the rest of the API.
    expect((await call(h.app, 'POST', '/v1/verifications', { phone: pumped(30) }, bearer(ADMIN_KEY))).status).toBe(401);

    const list = await call(h.app, 'GET', '/v1/fraud/blocks', undefined, bearer(ADMIN_KEY));
    expect(list).toMatchObject({
      status: 200,
      body: {
        blocks: [
          {
            prefix: '+141555',
            country: 'US',
            mode: 'block',
            since: h.clock.now().toISOString(),
            until: new Date(h.clock.now().getTime() + 43_200_000).toISOString(),
            sends: 20,
            approvals: 0,
          },
        ],
      },
    });
    const lift = await call(h.app, 'DELETE', '/v1/fraud/blocks/%2B141555', undefined, bearer(ADMIN_KEY));
    expect(lift.status).toBe(204);
    expect(await call(h.app, 'DELETE', '/v1/fraud/blocks/%2B141555', undefined, bearer(ADMIN_KEY))).toMatchObject({
      status: 404,
      body: { code: 'SMS_019' },
    });
    expect(await call(h.app, 'DELETE', '/v1/fraud/blocks/abc', undefined, bearer(ADMIN_KEY))).toMatchObject({
      status: 400,
      body: { code: 'SMS_000', fields: ['prefix'] },
    });
    expect((await call(h.app, 'POST', '/v1/fraud/blocks', {}, bearer(ADMIN_KEY))).status).toBe(405);
    expect((await call(h.app, 'GET', '/v1/fraud/blocks', undefined, bearer(ADMIN_KEY))).body).toEqual({ blocks: [] });
    expect((await call(h.app, 'POST', '/v1/verifications', { phone: pumped(20) }, headers)).status).toBe(201);
  });

  it('lists and lifts a whole country blocked by the surge rule, named by the country', async () => {
    const h = await createHarness({
      policy: { prefixSendLimit: 1000, fraud: DEFAULT_FRAUD_POLICY },
      fraud: createMemoryFraudStore(),
      app: { adminKeys: [ADMIN_KEY] },
    });
    // 300 numbers, each in a range of its own: the country's hour passes 10 x the floor of 20.
    const spread = (i: number) => `+1${['212', '312', '415', '646'][i % 4]}${200 + 10 * Math.floor(i / 4)}1234`;
    const statuses = [];
    for (let i = 0; i < 210; i++)
      statuses.push((await call(h.app, 'POST', '/v1/verifications', { phone: spread(i) })).status);
    expect(statuses.filter((s) => s === 403)).toHaveLength(9);
    const blocks = await call(h.app, 'GET', '/v1/fraud/blocks', undefined, bearer(ADMIN_KEY));
    expect(blocks.body).toMatchObject({ blocks: [{ prefix: 'US', country: 'US', mode: 'block' }] });
    expect((await call(h.app, 'DELETE', '/v1/fraud/blocks/US', undefined, bearer(ADMIN_KEY))).status).toBe(204);
    expect((await call(h.app, 'POST', '/v1/verifications', { phone: '+14155550123' })).status).toBe(201);
  });

  it('refuses every operator request when API keys are set but no admin key is', async () => {
    const { h, headers } = await blockedPrefix({ apiKeys: [API_KEY] });
    const res = await call(h.app, 'GET', '/v1/fraud/blocks', undefined, headers);
    expect(res).toMatchObject({ status: 401, body: { code: 'SMS_011' } });
    expect(res.body.detail).toContain('ADMIN_API_KEYS');
  });

  it('documents the operator API under its own security scheme', async () => {
    const { h } = await blockedPrefix({ apiKeys: [API_KEY], adminKeys: [ADMIN_KEY] });
    const doc = (await call(h.app, 'GET', '/openapi.json')).body as {
      paths: Record<string, Record<string, { security: unknown; responses: Record<string, unknown> }>>;
    };
    expect(doc.paths['/v1/fraud/blocks']?.['get']?.security).toEqual([{ adminKey: [] }]);
    expect(Object.keys(doc.paths['/v1/fraud/blocks/{prefix}']?.['delete']?.responses ?? {})).toEqual(
      expect.arrayContaining(['204', '400', '401', '404']),
    );
    expect(Object.keys(doc.paths['/v1/verifications']?.['post']?.responses ?? {})).toContain('403');
  });
});
