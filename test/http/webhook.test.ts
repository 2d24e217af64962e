// POST /v1/webhooks/twilio/status: signed callbacks move a delivery forward; anything else changes nothing.
import { Hono } from 'hono';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { createTwilioWebhook } from '../../src/adapters/twilio/twilio-webhook.ts';
import { createWebCryptoTwilioVerifier } from '../../src/adapters/twilio/webcrypto-signature.ts';
import { createHarness, PHONE } from '../support/harness.ts';
import { phonePath } from '../support/http.ts';

const TOKEN = 'webhook-token-0123456789';
const BASE = 'https://verify.example.com';
const URL_SIGNED = `${BASE}/v1/webhooks/twilio/status`;

async function setup(extra: { apiKeys?: string[] } = {}) {
  const h = await createHarness({
    app: {
      webhooks: [createTwilioWebhook({ signatures: createWebCryptoTwilioVerifier(TOKEN), publicBaseUrl: BASE })],
      ...extra,
    },
  });
  await h.sendCode();
  const messageId = (await h.codes.get(PHONE, h.clock.now()))!.messageId!;
  const callback = async (
    params: Record<string, string>,
    signature: string | null = twilio.getExpectedTwilioSignature(TOKEN, URL_SIGNED, params),
  ) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
    if (signature !== null) headers['X-Twilio-Signature'] = signature;
    const res = await h.app.request('http://localhost/v1/webhooks/twilio/status', {
      method: 'POST',
      headers,
      body: new URLSearchParams(params).toString(),
    });
    return { status: res.status, body: res.status === 204 ? null : ((await res.json()) as Record<string, unknown>) };
  };
  const delivery = async () =>
    (
      (await (
        await h.app.request(`http://localhost${phonePath(PHONE)}`, {
          headers: extra.apiKeys ? { Authorization: `Bearer ${extra.apiKeys[0]}` } : {},
        })
      ).json()) as { delivery: unknown }
    ).delivery;
  return { h, messageId, callback, delivery };
}

describe('delivery callbacks', () => {
  it('records a signed status on the verification, shown by GET', async () => {
    const { h, messageId, callback, delivery } = await setup();
    expect(await delivery()).toEqual({
      status: 'queued',
      updatedAt: '2026-03-01T12:00:00.000Z',
      provider: 'recording',
    });
    h.clock.advance(3);
    expect((await callback({ MessageSid: messageId, MessageStatus: 'sent', To: PHONE })).status).toBe(204);
    expect(await delivery()).toEqual({ status: 'sent', updatedAt: '2026-03-01T12:00:03.000Z', provider: 'recording' });
    h.clock.advance(2);
    expect((await callback({ MessageSid: messageId, MessageStatus: 'delivered', To: PHONE })).status).toBe(204);
    expect(await delivery()).toEqual({
      status: 'delivered',
      updatedAt: '2026-03-01T12:00:05.000Z',
      provider: 'recording',
    });
  });

  it('ignores duplicates and never moves a status backwards; final statuses stay', async () => {
    const { h, messageId, callback, delivery } = await setup();
    await callback({ MessageSid: messageId, MessageStatus: 'undelivered', ErrorCode: '30003' });
    const first = await delivery();
    expect(first).toMatchObject({ status: 'undelivered', errorCode: '30003' });
    h.clock.advance(10);
    for (const status of ['undelivered', 'sent', 'queued', 'delivered', 'failed']) {
      expect((await callback({ MessageSid: messageId, MessageStatus: status })).status).toBe(204);
    }
    expect(await delivery()).toEqual(first);
  });

  it('refuses a missing, tampered or foreign signature with SMS_013 and changes nothing', async () => {
    const { messageId, callback, delivery } = await setup();
    const params = { MessageSid: messageId, MessageStatus: 'delivered' };
    expect(await callback(params, null)).toMatchObject({ status: 403, body: { code: 'SMS_013' } });
    const signed = twilio.getExpectedTwilioSignature(TOKEN, URL_SIGNED, params);
    expect(await callback({ ...params, MessageStatus: 'failed' }, signed)).toMatchObject({
      status: 403,
      body: { code: 'SMS_013' },
    });
    expect(
      await callback(params, twilio.getExpectedTwilioSignature('another-token-0123456789', URL_SIGNED, params)),
    ).toMatchObject({ status: 403 });
    expect(
      await callback(
        params,
        twilio.getExpectedTwilioSignature(TOKEN, 'http://localhost/v1/webhooks/twilio/status', params),
      ),
    ).toMatchObject({ status: 403 });
    expect(await delivery()).toMatchObject({ status: 'queued' });
  });

  it('acknowledges signed callbacks for unknown messages or statuses without changing anything', async () => {
    const { messageId, callback, delivery } = await setup();
    expect((await callback({ MessageSid: 'SM-unknown', MessageStatus: 'delivered' })).status).toBe(204);
    expect((await callback({ MessageSid: messageId, MessageStatus: 'receiving' })).status).toBe(204);
    expect(await delivery()).toMatchObject({ status: 'queued' });
  });

  it('does not need an API key (the signature guards it), while /v1 routes still do', async () => {
    const key = 'api-key-0123456789abcdef';
    const { messageId, callback, delivery } = await setup({ apiKeys: [key] });
    expect((await callback({ MessageSid: messageId, MessageStatus: 'delivered' })).status).toBe(204);
    expect(await delivery()).toMatchObject({ status: 'delivered' });
  });

  it('reaches the signature check when the app is mounted under a prefix with API keys', async () => {
    const key = 'api-key-0123456789abcdef';
    const h = await createHarness({
      app: {
        apiKeys: [key],
        webhooks: [createTwilioWebhook({ signatures: createWebCryptoTwilioVerifier(TOKEN), publicBaseUrl: BASE })],
      },
    });
    await h.sendCode();
    const messageId = (await h.codes.get(PHONE, h.clock.now()))!.messageId!;
    const host = new Hono().route('/verify', h.app);
    const params = { MessageSid: messageId, MessageStatus: 'delivered' };
    const post = (signature: string) =>
      host.request('http://localhost/verify/v1/webhooks/twilio/status', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature },
        body: new URLSearchParams(params).toString(),
      });
    const unsigned = await post('wrong');
    expect(unsigned.status).toBe(403);
    expect(((await unsigned.json()) as { code: string }).code).toBe('SMS_013');
    const signed = twilio.getExpectedTwilioSignature(TOKEN, `${BASE}/verify/v1/webhooks/twilio/status`, params);
    expect((await post(signed)).status).toBe(204);
    expect((await host.request(`http://localhost/verify${phonePath(PHONE)}`)).status).toBe(401);
    const read = await host.request(`http://localhost/verify${phonePath(PHONE)}`, {
      headers: { Authorization: `Bearer ${key}` },
    });
    expect(((await read.json()) as { delivery: { status: string } }).delivery.status).toBe('delivered');
  });

  it('answers SMS_013 when callbacks are not configured', async () => {
    const h = await createHarness();
    const res = await h.app.request('http://localhost/v1/webhooks/twilio/status', {
      method: 'POST',
      headers: { 'X-Twilio-Signature': 'x' },
      body: 'MessageSid=SM1',
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('SMS_013');
  });
});
