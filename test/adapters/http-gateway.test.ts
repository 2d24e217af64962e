// The HTTP gateway provider against a local gateway that verifies with the standardwebhooks package.
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewaySender } from '../../src/adapters/http-gateway/gateway-sender.ts';
import { createGatewayWebhook } from '../../src/adapters/http-gateway/gateway-webhook.ts';
import type { DeliveryStatus } from '../../src/domain/verification/verification-record.ts';
import { deliveryWebhookContract } from '../contract/delivery-webhook.contract.ts';
import { messageSenderContract } from '../contract/message-sender.contract.ts';
import { freePort } from '../support/free-port.ts';
import { GATEWAY_SECRET, type GatewayDouble, startGatewayDouble } from '../support/gateway-double.ts';

let gateway: GatewayDouble;
beforeAll(async () => {
  gateway = await startGatewayDouble();
});
afterAll(async () => {
  await gateway?.close();
});

const noSleep = { sleep: async () => undefined };
const build = (overrides: Partial<Parameters<typeof createGatewaySender>[0]> = {}) =>
  createGatewaySender({ url: gateway.url, secret: GATEWAY_SECRET, retry: noSleep, ...overrides });
const sms = (to: string, text = 'Your code is 123456.') => ({ to, text, channel: 'sms' as const });

messageSenderContract('http gateway (a local gateway)', {
  capabilities: { canFail: true },
  fresh: async () => {
    const start = gateway.received.length;
    return {
      sender: build({ retry: { ...noSleep, maxRetries: 0 } }),
      received: async () => gateway.received.slice(start),
      faults: { refuseNext: () => gateway.failNext(1, 422), failNext: () => gateway.failNext(1, 503) },
    };
  },
});

describe('the HTTP gateway sender', () => {
  it('signs each message as Standard Webhooks say: v1, base64 HMAC-SHA256 of id.timestamp.body (checked by hand)', async () => {
    // The gateway's check refuses a timestamp 5 minutes off, so this one is signed at the real time.
    expect((await build().send(sms('+14155550100'))).ok).toBe(true);
    const { headers, body } = gateway.received.at(-1)!;
    const key = Buffer.from(GATEWAY_SECRET.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key)
      .update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`)
      .digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${expected}`);
    expect(JSON.parse(body)).toMatchObject({
      type: 'message.send',
      data: { id: headers['webhook-id'], channel: 'sms', to: '+14155550100', text: 'Your code is 123456.' },
    });
    // A message signed 10 minutes ago is refused by the gateway's own check.
    const forgedBefore = gateway.forged;
    const old = createGatewaySender({
      url: gateway.url,
      secret: GATEWAY_SECRET,
      now: () => new Date(Date.now() - 600_000),
      retry: { ...noSleep, maxRetries: 0 },
    });
    expect((await old.send(sms('+14155550101'))).ok).toBe(false);
    expect(gateway.forged).toBe(forgedBefore + 1);
  });

  it('answers a 2xx as taken with the gateway messageId, a 4xx as a refused destination, never retried', async () => {
    expect(await build().send(sms('+14155550102'))).toMatchObject({ ok: true, provider: 'http', messageId: /^gw-/ });
    gateway.requests = 0;
    gateway.failNext(1, 400);
    expect(await build().send(sms('+14155550103'))).toMatchObject({ ok: false, reason: 'destination_refused' });
    expect(gateway.requests).toBe(1);
  });

  it('retries 5xx and 429 a bounded number of times with one webhook-id, then fails as not taken', async () => {
    gateway.requests = 0;
    gateway.failNext(3, 503);
    const start = gateway.received.length;
    expect(await build().send(sms('+14155550104'))).toMatchObject({
      ok: false,
      reason: 'provider_failed',
      fate: 'not_taken',
    });
    expect(gateway.requests).toBe(3);
    gateway.failNext(1, 429);
    expect(await build().send(sms('+14155550105'))).toMatchObject({ ok: true });
    expect(gateway.received.length).toBe(start + 1);
  });

  it('fails a refused connection as not taken and a timeout as unknown, without retrying the timeout', async () => {
    const nowhere = build({ url: `http://127.0.0.1:${await freePort()}/messages` });
    expect(await nowhere.send(sms('+14155550106'))).toMatchObject({ ok: false, fate: 'not_taken' });
    gateway.requests = 0;
    gateway.stallNext(1500);
    const slow = build({ timeoutMs: 500 });
    expect(await slow.send(sms('+14155550107'))).toMatchObject({ ok: false, providerCode: 'timeout', fate: 'unknown' });
    expect(gateway.requests).toBe(1);
  });
});

const signer = new Webhook(GATEWAY_SECRET);
const callback = (messageId: string, status: DeliveryStatus, sign: boolean) => {
  const id = `evt_${messageId}`;
  const at = new Date();
  const body = JSON.stringify({ type: 'message.status', data: { id: messageId, status } });
  const headers = new Headers(
    sign
      ? {
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': signer.sign(id, at, body),
        }
      : {},
  );
  return { path: '/v1/webhooks/http/status', search: '', headers, body };
};
deliveryWebhookContract('http gateway', {
  capabilities: { signsBody: true },
  fresh: async () => ({
    webhook: createGatewayWebhook(GATEWAY_SECRET),
    callbacks: {
      genuine: async (messageId, status) => callback(messageId, status, true),
      unsigned: async (messageId, status) => callback(messageId, status, false),
    },
  }),
  additionalTests(fresh) {
    it('refuses a genuine callback replayed more than 5 minutes later', async () => {
      const { webhook } = await fresh();
      const at = new Date(Date.now() - 600_000);
      const body = JSON.stringify({ type: 'message.status', data: { id: 'gw-1', status: 'delivered' } });
      const headers = new Headers({
        'webhook-id': 'evt_old',
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': signer.sign('evt_old', at, body),
      });
      expect(await webhook.receive({ path: '/v1/webhooks/http/status', search: '', headers, body })).toMatchObject({
        ok: false,
      });
    });
  },
});
