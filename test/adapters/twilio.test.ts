// Both Twilio senders against a local double of Twilio's REST API, through their real code paths.
import twilio from 'twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSdkTwilioVerifier } from '../../src/adapters/twilio/sdk-signature.ts';
import type { TwilioSenderOptions } from '../../src/adapters/twilio/twilio-config.ts';
import { createTwilioFetchSender } from '../../src/adapters/twilio/twilio-fetch-sender.ts';
import { createTwilioSdkSender } from '../../src/adapters/twilio/twilio-sdk-sender.ts';
import { createWebCryptoTwilioVerifier, twilioSignature } from '../../src/adapters/twilio/webcrypto-signature.ts';
import type { MessageSender } from '../../src/ports/message-sender.ts';
import { messageSenderContract } from '../contract/message-sender.contract.ts';
import { freePort } from '../support/free-port.ts';
import { DOUBLE_SID, DOUBLE_TOKEN, startTwilioDouble, type TwilioDouble } from '../support/twilio-double.ts';

let double: TwilioDouble;
beforeAll(async () => {
  double = await startTwilioDouble();
});
afterAll(async () => {
  await double.close();
});

const senders = {
  'Twilio SDK': createTwilioSdkSender,
  'Twilio fetch': createTwilioFetchSender,
} as const;

for (const [name, create] of Object.entries(senders)) {
  const build = (overrides: Partial<TwilioSenderOptions> = {}) => {
    const sleeps: number[] = [];
    const reports: string[] = [];
    const sender = create({
      accountSid: DOUBLE_SID,
      authToken: DOUBLE_TOKEN,
      from: '+15005550006',
      apiBaseUrl: double.url,
      timeoutMs: 2000,
      retry: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.999 },
      report: (m) => void reports.push(m),
      ...overrides,
    });
    return { sender, sleeps, reports };
  };

  messageSenderContract(name, {
    capabilities: { canFail: true },
    fresh: async () => {
      const start = double.received.length;
      // Retries are off here: the case is how one answer is read, not how many tries are made.
      const { sender } = build({ retry: { maxRetries: 0 } });
      const faults = {
        refuseNext: () => double.failNext(1, 400, 21614),
        failNext: () => double.failNext(1, 503, 20503, 'Service Unavailable'),
      };
      return { sender, received: async () => double.received.slice(start), faults };
    },
  });

  describe(`${name} sender: voice and WhatsApp`, () => {
    it('declares call with a number to call from and whatsapp with a WhatsApp sender, and sms always', () => {
      expect(build().sender.channels).toEqual(['sms']);
      expect(build({ voiceFrom: '+15005550006', whatsappFrom: '+14155238886' }).sender.channels).toEqual([
        'sms',
        'call',
        'whatsapp',
      ]);
    });

    it('calls through the Calls API, saying the text in the message’s language', async () => {
      const { sender } = build({ voiceFrom: '+15005550006' });
      const outcome = await sender.send({
        to: '+5511912345678',
        text: 'O seu codigo Acme e: 1, 2, 3. Repetindo: 1, 2, 3.',
        channel: 'call',
        locale: 'pt',
      });
      expect(outcome).toMatchObject({ ok: true, provider: 'twilio', messageId: /^CA/ });
      const call = double.received.at(-1)!;
      expect(call).toMatchObject({ channel: 'call', to: '+5511912345678', from: '+15005550006' });
      expect(call.text).toBe(
        '<Response><Pause length="1"/><Say language="pt-BR">O seu codigo Acme e: 1, 2, 3. Repetindo: 1, 2, 3.</Say></Response>',
      );
    });

    it('sends WhatsApp as an authentication content template with the code as variable 1, or as a body', async () => {
      const templated = build({ whatsappFrom: '+14155238886', whatsappContentSid: `HX${'ab'.repeat(16)}` });
      await templated.sender.send({
        to: '+14155552671',
        text: 'Your code is 123456.',
        channel: 'whatsapp',
        code: '123456',
      });
      expect(double.received.at(-1)).toMatchObject({
        channel: 'whatsapp',
        to: 'whatsapp:+14155552671',
        from: 'whatsapp:+14155238886',
        contentSid: `HX${'ab'.repeat(16)}`,
        text: '{"1":"123456"}',
      });
      const plain = build({ whatsappFrom: '+14155238886' });
      await plain.sender.send({
        to: '+14155552671',
        text: 'Your code is 654321.',
        channel: 'whatsapp',
        code: '654321',
      });
      expect(double.received.at(-1)).toMatchObject({ channel: 'whatsapp', text: 'Your code is 654321.' });
    });
  });

  describe(`${name} sender: Twilio answers mapped, not leaked`, () => {
    let sender: MessageSender;
    let sleeps: number[];
    let reports: string[];
    beforeEach(() => {
      ({ sender, sleeps, reports } = build());
      double.requests = 0;
    });
    const send = () => sender.send({ to: '+14155552671', text: 'Your code is 123456.', channel: 'sms' });

    it('returns the message sid and sends From, Body and the status callback', async () => {
      const callback = 'https://verify.example.com/v1/webhooks/twilio/status';
      const outcome = await build({ statusCallbackUrl: callback }).sender.send({
        to: '+14155552671',
        text: 'hi',
        channel: 'sms',
      });
      expect(outcome).toEqual({ ok: true, provider: 'twilio', messageId: double.received.at(-1)!.sid });
      expect(double.received.at(-1)).toMatchObject({
        from: '+15005550006',
        statusCallback: 'https://verify.example.com/v1/webhooks/twilio/status',
      });
    });

    it('sends through a messaging service instead of From when one is set', async () => {
      const mg = `MG${'a'.repeat(32)}`;
      await build({ from: undefined, messagingServiceSid: mg }).sender.send({
        to: '+14155552671',
        text: 'hi',
        channel: 'sms',
      });
      expect(double.received.at(-1)).toMatchObject({ messagingServiceSid: mg });
      expect(double.received.at(-1)?.from).toBeUndefined();
    });

    for (const code of [21211, 21408, 21610, 21612, 21614, 21635]) {
      it(`maps ${code} to a refused destination and never retries it`, async () => {
        double.failNext(1, 400, code);
        expect(await send()).toMatchObject({ ok: false, reason: 'destination_refused', providerCode: String(code) });
        expect(double.requests).toBe(1);
        expect(sleeps).toEqual([]);
      });
    }

    it('retries 20429 with growing, jittered waits, then succeeds', async () => {
      double.failNext(2, 429, 20429, 'Too Many Requests');
      expect(await send()).toMatchObject({ ok: true });
      expect(double.requests).toBe(3);
      expect(sleeps).toEqual([249, 499]);
    });

    it('retries a 503 a bounded number of times, then fails (SMS_008)', async () => {
      double.failNext(3, 503, 20503, 'Service Unavailable');
      expect(await send()).toMatchObject({
        ok: false,
        reason: 'provider_failed',
        providerCode: '20503',
        fate: 'not_taken',
      });
      expect(double.requests).toBe(3);
      expect(sleeps).toHaveLength(2);
    });

    it('fails on bad credentials without retrying, with one clear error for the operator', async () => {
      const { sender: wrong, reports: told } = build({ authToken: 'wrong-token-0123456789' });
      expect(await wrong.send({ to: '+14155552671', text: 'x', channel: 'sms' })).toMatchObject({
        ok: false,
        reason: 'provider_failed',
        providerCode: '20003',
      });
      expect(double.requests).toBe(1);
      expect(told).toEqual([
        'Twilio rejected the credentials (20003): check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN.',
      ]);
      expect(reports).toEqual([]);
    });

    it('does not retry other failures: the message may already be on its way', async () => {
      double.failNext(1, 500, 20500, 'Internal Server Error');
      expect(await send()).toMatchObject({ ok: false, reason: 'provider_failed', providerCode: '20500' });
      expect(double.requests).toBe(1);
    });

    it('gives up on a stalled request at the timeout and does not retry it', async () => {
      const { sender: impatient, sleeps: waited } = build({ timeoutMs: 600 });
      double.stallNext(1, 1500);
      const outcome = await impatient.send({ to: '+14155552671', text: 'x', channel: 'sms' });
      expect(outcome).toMatchObject({ ok: false, reason: 'provider_failed', providerCode: 'timeout', fate: 'unknown' });
      expect(double.requests).toBe(1);
      expect(waited).toEqual([]);
    });

    it('retries a refused connection (it never reached Twilio), then fails', async () => {
      const { sender: nowhere, sleeps: waited } = build({ apiBaseUrl: `http://127.0.0.1:${await freePort()}` });
      expect(await nowhere.send({ to: '+14155552671', text: 'x', channel: 'sms' })).toMatchObject({
        ok: false,
        reason: 'provider_failed',
      });
      expect(waited).toHaveLength(2);
    });
  });
}

describe('webhook signatures', () => {
  const url = 'https://verify.example.com/v1/webhooks/twilio/status';
  const params = { MessageSid: 'SM123', MessageStatus: 'delivered', To: '+14155552671', AccountSid: DOUBLE_SID };

  it('computes the signature the SDK computes', async () => {
    expect(await twilioSignature(DOUBLE_TOKEN, url, params)).toBe(
      twilio.getExpectedTwilioSignature(DOUBLE_TOKEN, url, params),
    );
  });

  for (const [name, verifier] of [
    ['SDK', createSdkTwilioVerifier(DOUBLE_TOKEN)],
    ['Web Crypto', createWebCryptoTwilioVerifier(DOUBLE_TOKEN)],
  ] as const) {
    it(`${name}: accepts a genuine signature, refuses a tampered parameter, URL or token`, async () => {
      const genuine = twilio.getExpectedTwilioSignature(DOUBLE_TOKEN, url, params);
      expect(await verifier.verify(genuine, url, params)).toBe(true);
      expect(await verifier.verify(genuine, url, { ...params, MessageStatus: 'failed' })).toBe(false);
      expect(await verifier.verify(genuine, 'https://evil.example.com/v1/webhooks/twilio/status', params)).toBe(false);
      expect(
        await verifier.verify(twilio.getExpectedTwilioSignature('other-token-0123456789', url, params), url, params),
      ).toBe(false);
      expect(await verifier.verify('', url, params)).toBe(false);
    });
  }
});
