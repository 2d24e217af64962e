// npm start with TWILIO_* pointing at the local double: sends, error mapping, retries, signed callbacks.
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServiceProcess, startServiceOnTwilio } from '../support/service-process.ts';
import { DOUBLE_SID, DOUBLE_TOKEN, startTwilioDouble, type TwilioDouble } from '../support/twilio-double.ts';

const PUBLIC = 'https://verify.example.com';
const CALLBACK = `${PUBLIC}/v1/webhooks/twilio/status`;

describe('the service on Twilio (a local double of its REST API)', () => {
  let double: TwilioDouble;
  let service: ServiceProcess;
  beforeAll(async () => {
    double = await startTwilioDouble();
    service = await startServiceOnTwilio(double, { PUBLIC_BASE_URL: PUBLIC });
  });
  afterAll(async () => {
    await service?.stop();
    await double?.close();
  });

  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${service.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const callback = (params: Record<string, string>, signature?: string) =>
    fetch(`${service.url}/v1/webhooks/twilio/status`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        ...(signature ? { 'X-Twilio-Signature': signature } : {}),
      },
      body: new URLSearchParams(params).toString(),
    });

  it('uses Twilio instead of the console, and says so', () => {
    expect(service.lines.join('\n')).toMatch(/Twilio sender ready/);
    expect(service.lines.join('\n')).not.toMatch(/console sender prints/);
  });

  it('sends the code by Twilio, asking for status callbacks, and the code approves', async () => {
    expect((await post('/v1/verifications', { phone: '+14155552671' })).status).toBe(201);
    const message = double.received.at(-1)!;
    expect(message).toMatchObject({ to: '+14155552671', from: '+15005550006', statusCallback: CALLBACK });
    const code = /code is (\d{6})/.exec(message.text)![1]!;
    expect(await post('/v1/verifications/check', { phone: '+14155552671', code })).toMatchObject({
      status: 200,
      body: { status: 'approved' },
    });
  });

  it('maps 21211 to SMS_007', async () => {
    double.failNext(1, 400, 21211, "The 'To' number is not a valid phone number.");
    expect(await post('/v1/verifications', { phone: '+12125550123' })).toMatchObject({
      status: 422,
      body: { code: 'SMS_007', providerCode: '21211' },
    });
  });

  it('survives two 20429s, then succeeds', async () => {
    const before = double.requests;
    double.failNext(2, 429, 20429, 'Too Many Requests');
    expect((await post('/v1/verifications', { phone: '+13125550199' })).status).toBe(201);
    expect(double.requests - before).toBe(3);
  });

  it('records a signed delivered callback, and refuses unsigned or tampered ones (403)', async () => {
    await post('/v1/verifications', { phone: '+16175550100' });
    const sid = double.received.at(-1)!.sid;
    const params = { MessageSid: sid, MessageStatus: 'delivered', To: '+16175550100', AccountSid: DOUBLE_SID };
    const signature = twilio.getExpectedTwilioSignature(DOUBLE_TOKEN, CALLBACK, params);
    expect((await callback({ ...params, MessageStatus: 'failed' }, signature)).status).toBe(403);
    expect((await callback(params)).status).toBe(403);
    const before = (await (await fetch(`${service.url}/v1/verifications/%2B16175550100`)).json()) as {
      delivery: unknown;
    };
    expect(before.delivery).toMatchObject({ status: 'queued' });
    expect((await callback(params, signature)).status).toBe(204);
    const after = (await (await fetch(`${service.url}/v1/verifications/%2B16175550100`)).json()) as {
      delivery: { status: string };
    };
    expect(after.delivery.status).toBe('delivered');
  });

  it('logs no code and no whole phone number', () => {
    const logs = service.lines.filter((l) => l.startsWith('{')).join('\n');
    for (const message of double.received) {
      expect(logs).not.toContain(/code is (\d+)/.exec(message.text)![1]!);
      expect(logs).not.toContain(message.to);
    }
    expect(logs).not.toContain(DOUBLE_TOKEN);
  });
});

describe('Verify v2 through the official SDK, on voice after SMS (the Twilio double)', () => {
  const KEY = 'voice-api-key-0123456789abcdef';
  const SERVICE_SID = `VA${'7c'.repeat(16)}`;
  let double: TwilioDouble;
  let service: ServiceProcess;
  beforeAll(async () => {
    double = await startTwilioDouble();
    service = await startServiceOnTwilio(double, {
      API_KEYS: KEY,
      VERIFY_SERVICE_SID: SERVICE_SID,
      RESEND_COOLDOWN_SECONDS: '0',
      TWILIO_VOICE_FROM: '+15005550007',
    });
  });
  afterAll(async () => {
    await service?.stop();
    await double?.close();
  });

  it('creates sms then call for one phone: the same sid, the same code by both, two send_code_attempts, and it approves', async () => {
    const client = twilio(`AC${'9d'.repeat(16)}`, KEY);
    client.verify.baseUrl = service.url;
    const verify = client.verify.v2.services(SERVICE_SID);
    const to = '+14155550190';
    const sms = await verify.verifications.create({ to, channel: 'sms' });
    const code = /\b(\d{6})\b/.exec(double.received.at(-1)!.text)![1]!;
    const call = await verify.verifications.create({ to, channel: 'call' });
    expect(call.sid).toBe(sms.sid);
    expect(call.channel).toBe('call');
    const twiml = double.received.at(-1)!;
    expect(twiml).toMatchObject({ channel: 'call', to, from: '+15005550007' });
    expect(twiml.text).toContain(`${[...code].join(', ')}. Again, your code is: ${[...code].join(', ')}.`);
    expect(call.sendCodeAttempts.map((a) => (a as { channel: string }).channel)).toEqual(['sms', 'call']);
    const approved = await verify.verificationChecks.create({ to, code });
    expect(approved).toMatchObject({ sid: sms.sid, status: 'approved', valid: true });
    // A channel no provider sends is Twilio's invalid parameter, 60200.
    const whatsapp = await verify.verifications
      .create({ to: '+14155550191', channel: 'whatsapp' })
      .catch((e: unknown) => e);
    expect(whatsapp).toMatchObject({ status: 400, code: 60200 });
  });
});
