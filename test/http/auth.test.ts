// API keys: every /v1 route but the webhooks needs one when API_KEYS is set.
import { describe, expect, it } from 'vitest';
import { createHarness, PHONE } from '../support/harness.ts';
import { call, phonePath } from '../support/http.ts';

const KEYS = ['key-one-0123456789abcdef', 'key-two-0123456789abcdef'];

describe('API keys', () => {
  it('refuses /v1 requests with no key or a wrong one (SMS_011), accepts every listed key', async () => {
    const h = await createHarness({ app: { apiKeys: KEYS } });
    const none = await call(h.app, 'POST', '/v1/verifications', { phone: PHONE });
    expect(none).toMatchObject({ status: 401, body: { code: 'SMS_011' } });
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    for (const bad of [
      'Bearer key-one-0123456789abcdeX',
      'Bearer key-one',
      'Basic a2V5',
      'Bearer',
      `Bearer ${KEYS[0]} extra`,
    ]) {
      expect((await call(h.app, 'GET', phonePath(PHONE), undefined, { Authorization: bad })).body.code).toBe('SMS_011');
    }
    expect(h.sender.sent).toHaveLength(0);
    for (const key of KEYS) {
      const res = await call(h.app, 'GET', phonePath(PHONE), undefined, { Authorization: `Bearer ${key}` });
      expect(res.body.code).toBe('SMS_006');
    }
  });

  it('leaves health checks and the webhooks path to their own rules', async () => {
    const h = await createHarness({ app: { apiKeys: KEYS } });
    expect((await call(h.app, 'GET', '/healthz')).status).toBe(200);
    expect((await call(h.app, 'GET', '/readyz')).status).toBe(200);
    expect((await call(h.app, 'POST', '/v1/webhooks/twilio/status', {})).body.code).not.toBe('SMS_011');
  });

  it('is open when no keys are set', async () => {
    const h = await createHarness();
    expect((await call(h.app, 'POST', '/v1/verifications', { phone: PHONE })).status).toBe(201);
  });
});
