// The Vonage provider through its official SDK, against a local double of the SMS API; its signed receipts.
import { createHash, createHmac, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVonageSender } from '../../src/adapters/vonage/vonage-sender.ts';
import { createVonageWebhook } from '../../src/adapters/vonage/vonage-webhook.ts';
import type { DeliveryStatus } from '../../src/domain/verification/verification-record.ts';
import { deliveryWebhookContract } from '../contract/delivery-webhook.contract.ts';
import { messageSenderContract } from '../contract/message-sender.contract.ts';
import { freePort } from '../support/free-port.ts';
import {
  startVonageDouble,
  VONAGE_APPLICATION,
  VONAGE_KEY,
  VONAGE_SECRET,
  type VonageDouble,
} from '../support/vonage-double.ts';

let double: VonageDouble;
beforeAll(async () => {
  double = await startVonageDouble();
});
afterAll(async () => {
  await double?.close();
});

const reports: string[] = [];
const build = (overrides: Partial<Parameters<typeof createVonageSender>[0]> = {}) =>
  createVonageSender({
    apiKey: VONAGE_KEY,
    apiSecret: VONAGE_SECRET,
    from: 'Acme',
    apiBaseUrl: double.url,
    retry: { sleep: async () => undefined },
    report: (m) => reports.push(m),
    ...overrides,
  });
const sms = (to: string, text = 'Your code is 123456.') => ({ to, text, channel: 'sms' as const });

messageSenderContract('vonage (the SDK against a local double)', {
  capabilities: { canFail: true },
  fresh: async () => {
    const start = double.received.length;
    return {
      sender: build({ retry: { sleep: async () => undefined, maxRetries: 0 } }),
      received: async () => double.received.slice(start).map((m) => ({ to: `+${m.to}`, text: m.text })),
      faults: {
        refuseNext: () => double.failStatus(1, '7', 'Number barred'),
        failNext: () => double.failHttp(1, 503),
      },
    };
  },
});

describe('the Vonage sender', () => {
  it('sends the number without its +, the sender id and the callback, and answers the message id', async () => {
    const sender = build({ callbackUrl: 'https://verify.example.com/v1/webhooks/vonage/status' });
    const outcome = await sender.send(sms('+14155550100'));
    expect(outcome).toEqual({ ok: true, provider: 'vonage', messageId: double.received.at(-1)!.id });
    expect(double.received.at(-1)).toMatchObject({
      to: '14155550100',
      from: 'Acme',
      callback: 'https://verify.example.com/v1/webhooks/vonage/status',
    });
  });

  it('maps refused destinations to SMS_007 without a retry, and throttling to bounded retries', async () => {
    for (const [status, text] of [
      ['7', 'Number barred'],
      ['29', 'Non-Whitelisted Destination'],
      ['3', 'Invalid to address'],
    ] as const) {
      double.requests = 0;
      double.failStatus(1, status, text);
      expect(await build().send(sms('+14155550101'))).toMatchObject({
        ok: false,
        reason: 'destination_refused',
        providerCode: status,
      });
      expect(double.requests).toBe(1);
    }
    double.requests = 0;
    double.failStatus(3, '1', 'Throughput Rate Exceeded');
    expect(await build().send(sms('+14155550102'))).toMatchObject({
      ok: false,
      reason: 'provider_failed',
      fate: 'not_taken',
    });
    expect(double.requests).toBe(3);
    double.failHttp(1, 503);
    expect(await build().send(sms('+14155550103'))).toMatchObject({ ok: true });
  });

  it('fails on bad credentials without retrying, with one message for the operator and no secret in it', async () => {
    reports.length = 0;
    double.requests = 0;
    const wrong = build({ apiSecret: 'not-the-secret-0123456789' });
    expect(await wrong.send(sms('+14155550104'))).toMatchObject({
      ok: false,
      reason: 'provider_failed',
      providerCode: '4',
    });
    expect(double.requests).toBe(1);
    expect(reports).toEqual([expect.stringMatching(/VONAGE_API_KEY and VONAGE_API_SECRET/)]);
    expect(reports.join()).not.toContain('not-the-secret');
  });

  it('fails a refused connection as not taken and a timeout as unknown, not retried', async () => {
    const nowhere = build({ apiBaseUrl: `http://127.0.0.1:${await freePort()}` });
    expect(await nowhere.send(sms('+14155550105'))).toMatchObject({ ok: false, fate: 'not_taken' });
    double.requests = 0;
    double.stallNext(1500);
    expect(await build({ timeoutMs: 500 }).send(sms('+14155550106'))).toMatchObject({ ok: false, fate: 'unknown' });
    expect(double.requests).toBe(1);
  });
});

const SIGNATURE_SECRET = 'vonage-signature-secret-0123';
const VONAGE_WORDS: Record<DeliveryStatus, string> = {
  queued: 'accepted',
  sent: 'buffered',
  delivered: 'delivered',
  undelivered: 'expired',
  failed: 'failed',
};
/** Signs as Vonage does (md5hash: md5 of &k=v sorted, with the secret appended), by hand. */
function signed(params: Record<string, string>, method: 'md5hash' | 'sha256'): Record<string, string> {
  const query = Object.keys(params)
    .sort()
    .map((k) => `&${k}=${params[k]!.replace(/[&=]/g, '_')}`)
    .join('');
  const sig =
    method === 'md5hash'
      ? createHash('md5')
          .update(query + SIGNATURE_SECRET)
          .digest('hex')
      : createHmac('sha256', SIGNATURE_SECRET).update(query).digest('hex');
  return { ...params, sig };
}
const receipt = (
  messageId: string,
  status: DeliveryStatus,
  sign: boolean,
  method: 'md5hash' | 'sha256' = 'md5hash',
) => {
  const params = {
    messageId,
    status: VONAGE_WORDS[status],
    'err-code': '0',
    msisdn: '14155550100',
    timestamp: String(Math.floor(Date.now() / 1000)),
    nonce: 'a1b2c3',
  };
  return {
    path: '/v1/webhooks/vonage/status',
    search: '',
    headers: new Headers({ 'content-type': 'application/json' }),
    body: JSON.stringify(sign ? signed(params, method) : params),
  };
};
for (const method of ['md5hash', 'sha256'] as const) {
  deliveryWebhookContract(`vonage receipts (${method})`, {
    capabilities: { signsBody: true },
    fresh: async () => ({
      webhook: createVonageWebhook({ signatureSecret: SIGNATURE_SECRET, method }),
      callbacks: {
        genuine: async (id, status) => receipt(id, status, true, method),
        unsigned: async (id, status) => receipt(id, status, false, method),
      },
    }),
    additionalTests(fresh) {
      it('refuses a signed receipt more than 5 minutes old', async () => {
        const { webhook } = await fresh();
        const old = signed(
          { messageId: 'X1', status: 'delivered', timestamp: String(Math.floor(Date.now() / 1000) - 600), nonce: 'n' },
          method,
        );
        const request = {
          path: '/',
          search: '',
          headers: new Headers({ 'content-type': 'application/json' }),
          body: JSON.stringify(old),
        };
        expect(await webhook.receive(request)).toMatchObject({ ok: false });
      });
    },
  });
}

describe('Vonage voice and WhatsApp (the Voice and Messages SDKs against the double)', () => {
  const both = () =>
    build({ application: VONAGE_APPLICATION, voiceFrom: '+14155550199', whatsappFrom: '+14155550177' });

  it('offers only what its settings allow: sms alone, call with an application and a voice number, whatsapp with a number', () => {
    expect(build().channels).toEqual(['sms']);
    expect(build({ voiceFrom: '+14155550199' }).channels).toEqual(['sms']);
    expect(both().channels).toEqual(['sms', 'call', 'whatsapp']);
    expect(build({ whatsappFrom: '+14155550177' }).channels).toEqual(['sms', 'whatsapp']);
  });

  it('calls through the Voice API with the application’s JWT: a talk action said twice, in the message’s language', async () => {
    const outcome = await both().send({
      to: '+5511987654321',
      text: 'Seu código é 1, 2, 3, 4, 5, 6.',
      channel: 'call',
      locale: 'pt-BR',
    });
    const call = double.calls.at(-1)!;
    expect(outcome).toEqual({ ok: true, provider: 'vonage', messageId: call.uuid });
    expect(call).toMatchObject({
      to: '5511987654321',
      from: '14155550199',
      text: 'Seu código é 1, 2, 3, 4, 5, 6.',
      language: 'pt-BR',
      loop: 2,
    });
  });

  it('sends WhatsApp through the Messages API (the JWT with an application, else the key and secret)', async () => {
    const outcome = await both().send({ to: '+14155550100', text: 'Your code is 123456.', channel: 'whatsapp' });
    expect(outcome).toEqual({ ok: true, provider: 'vonage', messageId: double.chats.at(-1)!.uuid });
    expect(double.chats.at(-1)).toMatchObject({ to: '14155550100', from: '14155550177', auth: 'jwt' });
    await build({ whatsappFrom: '+14155550177' }).send({
      to: '+14155550101',
      text: 'Code 654321',
      channel: 'whatsapp',
    });
    expect(double.chats.at(-1)).toMatchObject({ to: '14155550101', text: 'Code 654321', auth: 'basic' });
  });

  it('retries a 503 from the Voice API, and names the credentials to an operator on a 401', async () => {
    double.failHttp(1, 503);
    const calls = double.calls.length;
    expect((await both().send({ to: '+14155550100', text: 'one two', channel: 'call' })).ok).toBe(true);
    expect(double.calls.length).toBe(calls + 1);
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const wrongKey = build({
      application: {
        id: VONAGE_APPLICATION.id,
        privateKey: otherKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
      voiceFrom: '+14155550199',
    });
    reports.length = 0;
    const refused = await wrongKey.send({ to: '+14155550100', text: 'one two', channel: 'call' });
    expect(refused).toMatchObject({ ok: false, reason: 'provider_failed', providerCode: '401' });
    expect(reports.join('\n')).toMatch(/Vonage rejected the credentials \(401\)/);
  });
});
