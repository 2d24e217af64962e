// Issue 20 end to end against npm start: failed sends reset no guesses, and no key list opens production.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, type ServiceProcess, startService } from '../support/service-process.ts';
import { DOUBLE_SID, DOUBLE_TOKEN, startTwilioDouble, type TwilioDouble } from '../support/twilio-double.ts';

const PHONE = '+14155552671';

describe('a provider that fails on demand (the Twilio double, no retries)', () => {
  let double: TwilioDouble;
  let service: ServiceProcess;
  beforeAll(async () => {
    double = await startTwilioDouble();
    service = await startService({
      TWILIO_ACCOUNT_SID: DOUBLE_SID,
      TWILIO_AUTH_TOKEN: DOUBLE_TOKEN,
      TWILIO_FROM: '+15005550006',
      TWILIO_API_BASE_URL: double.url,
      TWILIO_MAX_RETRIES: '0',
      RESEND_COOLDOWN_SECONDS: '0',
    });
  });
  afterAll(async () => {
    await service?.stop();
    await double?.close();
  });

  it('takes at most 5 wrong guesses in 40 rounds of {failed send, 5 wrong checks}, and the delivered code still approves', async () => {
    expect((await postJson(service, '/v1/verifications', { phone: PHONE })).status).toBe(201);
    const delivered = /\b(\d{6})\b/.exec(double.received.at(-1)!.text)![1]!;
    const wrong = delivered === '000000' ? '111111' : '000000';
    const answers: string[] = [];
    for (let round = 0; round < 40; round++) {
      double.failNext(1, 503, 20503, 'Service unavailable');
      const failed = await postJson(service, '/v1/verifications', { phone: PHONE });
      expect(failed.body.code).toBe('SMS_008');
      for (let guess = 0; guess < 5; guess++) {
        answers.push(
          String((await postJson(service, '/v1/verifications/check', { phone: PHONE, code: wrong })).body.code),
        );
      }
    }
    expect(answers.filter((a) => a === 'SMS_004')).toHaveLength(5);
    expect(answers.filter((a) => a === 'SMS_005')).toHaveLength(195);
    // Locked by those five, as it was before the failed sends: a new code must be sent, and it works.
    expect((await postJson(service, '/v1/verifications/check', { phone: PHONE, code: delivered })).body.code).toBe(
      'SMS_005',
    );
    expect((await postJson(service, '/v1/verifications', { phone: PHONE })).status).toBe(201);
    const fresh = /\b(\d{6})\b/.exec(double.received.at(-1)!.text)![1]!;
    expect((await postJson(service, '/v1/verifications/check', { phone: PHONE, code: fresh })).status).toBe(200);
  });

  it('keeps the code the person received working when a resend fails', async () => {
    const phone = '+14155552672';
    expect((await postJson(service, '/v1/verifications', { phone })).status).toBe(201);
    const delivered = /\b(\d{6})\b/.exec(double.received.at(-1)!.text)![1]!;
    double.failNext(1, 503, 20503, 'Service unavailable');
    expect((await postJson(service, '/v1/verifications', { phone })).status).toBe(502);
    expect((await postJson(service, '/v1/verifications/check', { phone, code: delivered })).status).toBe(200);
  });
});

describe('key lists that name no key', () => {
  for (const empty of [',', ',,,', ' , ']) {
    it(`refuses to start in production with API_KEYS=${JSON.stringify(empty)}`, async () => {
      const error = await startService({
        NODE_ENV: 'production',
        ALLOW_DEVELOPMENT_ADAPTERS: 'true',
        API_KEYS: empty,
        CODE_SECRET: 'secret-0123456789abcdef',
      }).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toContain('exited with 1');
      expect((error as Error).message).toMatch(/API_KEYS is required when NODE_ENV=production/);
    });
  }

  it('refuses to start in production with ADMIN_API_KEYS=","', async () => {
    const error = await startService({
      NODE_ENV: 'production',
      ALLOW_DEVELOPMENT_ADAPTERS: 'true',
      API_KEYS: 'key-one-0123456789abcdef',
      ADMIN_API_KEYS: ',',
      CODE_SECRET: 'secret-0123456789abcdef',
    }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/ADMIN_API_KEYS names no key/);
  });
});

describe('SERVICES_FILE that is not a small regular file', () => {
  it('stops start-up with one message for /dev/zero (a hang would never print it)', async () => {
    const error = await startService({ SERVICES_FILE: '/dev/zero' }).catch((e: Error) => e);
    expect((error as Error).message).toContain('exited with 1');
    expect((error as Error).message).toMatch(/SERVICES_FILE must be a regular file/);
  });
});
