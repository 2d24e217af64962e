// The fallback workflow against npm start: two instances on one MongoDB-compatible server, a Twilio double.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mongo } from '../support/mongo-test-db.ts';
import { postJson, type ServiceProcess, startServiceOnTwilio } from '../support/service-process.ts';
import { DOUBLE_TOKEN, startTwilioDouble, type TwilioDouble } from '../support/twilio-double.ts';

const DB = `smsv_workflow_${process.pid}`;
const SLOW = `VA${'3e'.repeat(16)}`;
const PUBLIC = 'https://verify.example.com';
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe.skipIf(!mongo.uri)(`the fallback workflow on two instances (${mongo.description})`, () => {
  let double: TwilioDouble;
  const running: ServiceProcess[] = [];
  let env: Record<string, string>;
  const callsTo = (phone: string) => double.received.filter((m) => m.channel === 'call' && m.to === phone);
  const smsTo = (phone: string) => double.received.filter((m) => m.channel === 'sms' && m.to === phone);
  const codeIn = (text: string) =>
    /(\d)(?:, (\d)){5}/.exec(text)?.[0].replace(/, /g, '') ?? /\b(\d{6})\b/.exec(text)![1]!;

  beforeAll(async () => {
    double = await startTwilioDouble();
    const dir = mkdtempSync(join(tmpdir(), 'smsv-workflow-'));
    const file = join(dir, 'services.json');
    // A second service waits 10 minutes between steps: only a receipt can move it on.
    writeFileSync(file, JSON.stringify({ services: [{ sid: SLOW, workflow: 'sms:600,call' }] }));
    env = {
      MONGODB_URI: mongo.uri!,
      MONGODB_DB: DB,
      CODE_SECRET: 'workflow-secret-0123456789abcdef',
      FALLBACK_WORKFLOW: 'sms:2,call',
      FALLBACK_POLL_SECONDS: '1',
      RESEND_COOLDOWN_SECONDS: '0',
      TWILIO_VOICE_FROM: '+15005550007',
      PUBLIC_BASE_URL: PUBLIC,
      SERVICES_FILE: file,
    };
    running.push(...(await Promise.all([startServiceOnTwilio(double, env), startServiceOnTwilio(double, env)])));
  }, 60_000);
  afterAll(async () => {
    for (const service of running) await service.stop();
    await double?.close();
    const client = await new MongoClient(mongo.uri!).connect();
    await client
      .db(DB)
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
  });

  it('calls with the same code when the SMS step passes unapproved: once, though two instances scan', async () => {
    const phone = '+14155550401';
    expect((await postJson(running[0]!, '/v1/verifications', { phone })).status).toBe(201);
    const code = codeIn(smsTo(phone)[0]!.text);
    await expect.poll(() => callsTo(phone).length, { timeout: 10_000, interval: 200 }).toBe(1);
    expect(codeIn(callsTo(phone)[0]!.text)).toBe(code);
    await sleep(2500);
    expect(callsTo(phone)).toHaveLength(1);
    expect((await postJson(running[1]!, '/v1/verifications/check', { phone, code })).status).toBe(200);
  });

  it('sends nothing more once the code is approved', async () => {
    const phone = '+14155550402';
    await postJson(running[0]!, '/v1/verifications', { phone });
    const code = codeIn(smsTo(phone)[0]!.text);
    expect((await postJson(running[0]!, '/v1/verifications/check', { phone, code })).status).toBe(200);
    await sleep(4000);
    expect(callsTo(phone)).toHaveLength(0);
  });

  it('calls at once when Twilio reports the SMS undelivered, long before the step’s time', async () => {
    const phone = '+14155550403';
    expect((await postJson(running[0]!, `/v1/services/${SLOW}/verifications`, { phone })).status).toBe(201);
    const message = smsTo(phone)[0]!;
    const params = { MessageSid: message.sid, MessageStatus: 'undelivered', ErrorCode: '30003' };
    const signature = twilio.getExpectedTwilioSignature(DOUBLE_TOKEN, `${PUBLIC}/v1/webhooks/twilio/status`, params);
    const receipt = await fetch(`${running[1]!.url}/v1/webhooks/twilio/status`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature },
      body: new URLSearchParams(params).toString(),
    });
    expect(receipt.status).toBe(204);
    await expect.poll(() => callsTo(phone).length, { timeout: 10_000, interval: 200 }).toBe(1);
  });

  it('still sends the next step after every instance restarts between steps', async () => {
    const phone = '+14155550404';
    await postJson(running[0]!, '/v1/verifications', { phone });
    await Promise.all(running.splice(0).map((service) => service.stop()));
    expect(callsTo(phone)).toHaveLength(0);
    running.push(await startServiceOnTwilio(double, env));
    await expect.poll(() => callsTo(phone).length, { timeout: 10_000, interval: 200 }).toBe(1);
  });
});
