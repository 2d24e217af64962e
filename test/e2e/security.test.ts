// Issue 20 end to end against npm start: failed sends reset no guesses, and no key list opens production.
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, type ServiceProcess, startService, startServiceOnTwilio } from '../support/service-process.ts';
import { startTwilioDouble, type TwilioDouble } from '../support/twilio-double.ts';

const PHONE = '+14155552671';
const ROOT = resolve(import.meta.dirname, '../..');

describe('a provider that fails on demand (the Twilio double, no retries)', () => {
  let double: TwilioDouble;
  let service: ServiceProcess;
  beforeAll(async () => {
    double = await startTwilioDouble();
    service = await startServiceOnTwilio(double, { TWILIO_MAX_RETRIES: '0', RESEND_COOLDOWN_SECONDS: '0' });
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

describe('npm start, as a new user runs it', () => {
  it('reads .env when present; a variable of the environment wins', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smsv-dotenv-'));
    for (const name of ['package.json', 'src', 'node_modules', 'tsconfig.json'])
      symlinkSync(join(ROOT, name), join(dir, name));
    writeFileSync(join(dir, '.env'), 'APP_NAME=FromDotEnv\nCODE_LENGTH=8\nHOST=127.0.0.1\n');
    const service = await startService({ CODE_LENGTH: '7' }, { npmStartIn: dir });
    try {
      expect((await postJson(service, '/v1/verifications', { phone: PHONE })).status).toBe(201);
      const line = await service.waitFor(/^\[sms\] to=/);
      expect(line).toMatch(/Your FromDotEnv code is \d{7}\./);
    } finally {
      await service.stop();
    }
  });

  it('answers an unreachable MongoDB with one line naming the host, not the password, and exit code 1', async () => {
    const error = await startService({
      MONGODB_URI: 'mongodb://admin:s3cret-password@127.0.0.1:1/verify?authSource=admin',
      MONGODB_TIMEOUT_MS: '300',
      NODE_ENV: 'test',
    }).catch((e: Error) => e);
    const message = (error as Error).message;
    expect(message).toContain('exited with 1');
    expect(message).toMatch(/sms-verify: cannot start: the mongodb store at 127\.0\.0\.1:1 is unavailable/);
    expect(message).not.toContain('s3cret-password');
    expect(message).not.toMatch(/\n\s+at /);
  });
});

describe('log lines', () => {
  it('name the process `service` and a service of SERVICES_FILE `serviceSid`: one key each', async () => {
    const service = await startService({ SERVICES_FILE: 'services.example.json' });
    try {
      const line = await service.waitFor(/has test codes/);
      expect(line.match(/"service":/g)).toHaveLength(1);
      expect(JSON.parse(line)).toMatchObject({ service: 'sms-verify', serviceSid: expect.stringMatching(/^VA/) });
    } finally {
      await service.stop();
    }
  });
});
