// The official twilio SDK, pointed at `npm start` with client.verify.baseUrl, drives the Verify v2
// routes unchanged: the migration the README promises.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServiceProcess, startService } from '../support/service-process.ts';

const SERVICE_SID = `VA${'ab'.repeat(16)}`;
/** A second service, from SERVICES_FILE: its own code length and name, custom codes allowed. */
const BANK_SID = `VA${'ba'.repeat(16)}`;
const ACCOUNT_SID = `AC${'12'.repeat(16)}`;
const API_KEY = 'v2-test-key-0123456789abcdef';

let service: ServiceProcess;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'smsv-sdk-'));
  const servicesFile = join(dir, 'services.json');
  writeFileSync(
    servicesFile,
    JSON.stringify({
      services: [{ sid: BANK_SID, friendlyName: 'Bank', codeLength: 8, sendLimit: 1, customCodeEnabled: true }],
    }),
  );
  service = await startService({
    SERVICES_FILE: servicesFile,
    API_KEYS: API_KEY,
    VERIFY_SERVICE_SID: SERVICE_SID,
    SEND_LIMIT: '3',
    RESEND_COOLDOWN_SECONDS: '0',
    MAX_CHECK_ATTEMPTS: '3',
    APP_NAME: 'Acme',
  });
}, 30_000);
afterAll(async () => {
  await service?.stop();
});

function client(password = API_KEY) {
  const c = twilio(ACCOUNT_SID, password);
  c.verify.baseUrl = service.url;
  return c;
}
const verify = (password?: string) => client(password).verify.v2.services(SERVICE_SID);

/** The codes the console sender printed for `phone`, oldest first. */
const codesFor = (phone: string) =>
  service.lines.filter((l) => l.startsWith(`[sms] to=${phone} `)).map((l) => /code is (\d+)/.exec(l)![1]!);

async function latestCode(phone: string, count: number) {
  await expect.poll(() => codesFor(phone).length).toBe(count);
  return codesFor(phone).at(-1)!;
}

/**
 * Every field the SDK's own resource class reads from our answer is there: the SDK's instance
 * types are its contract, and a field we left out would reach the caller as undefined.
 */
function expectComplete(instance: object) {
  const fields = Object.entries(instance).filter(([key]) => !key.startsWith('_'));
  expect(fields.length).toBeGreaterThan(5);
  expect(fields.filter(([, value]) => value === undefined).map(([key]) => key)).toEqual([]);
  for (const [key, value] of fields) {
    if (key.startsWith('date')) expect(Number.isNaN((value as Date).getTime()), key).toBe(false);
  }
}

/** The RestException the SDK throws for a call, as its status and Twilio code. */
async function refusal(call: Promise<unknown>) {
  const error = (await call.then(
    () => null,
    (e: unknown) => e,
  )) as { status?: number; code?: number; message?: string; moreInfo?: string } | null;
  expect(error, 'the call should have been refused').not.toBeNull();
  return { status: error!.status, code: error!.code, message: error!.message, moreInfo: error!.moreInfo };
}

describe('twilio SDK against the Verify v2 routes', () => {
  it('sends, refuses a wrong code as pending, approves the right one, then answers 20404', async () => {
    const to = '+14155550101';
    const sent = await verify().verifications.create({ to, channel: 'sms' });
    expect(sent.sid).toMatch(/^VE[0-9a-f]{32}$/);
    expect(sent).toMatchObject({
      serviceSid: SERVICE_SID,
      accountSid: ACCOUNT_SID,
      to,
      channel: 'sms',
      status: 'pending',
      valid: false,
    });
    expect(sent.dateCreated).toBeInstanceOf(Date);
    expect(Number.isNaN(sent.dateCreated.getTime())).toBe(false);
    expect(sent.sendCodeAttempts).toHaveLength(1);
    expectComplete(sent);
    const code = await latestCode(to, 1);
    expect(service.lines.find((l) => l.startsWith(`[sms] to=${to} `))).toContain('Acme');

    const wrong = await verify().verificationChecks.create({ to, code: code === '000000' ? '111111' : '000000' });
    expect(wrong).toMatchObject({ sid: sent.sid, status: 'pending', valid: false });
    expectComplete(wrong);

    const right = await verify().verificationChecks.create({ to, code });
    expect(right).toMatchObject({ sid: sent.sid, status: 'approved', valid: true, to });

    const fetched = await verify().verifications(sent.sid).fetch();
    expect(fetched).toMatchObject({ sid: sent.sid, status: 'approved', valid: true });
    expectComplete(fetched);
    expectComplete(right);

    // Approved once: a second check finds nothing pending, as on Twilio.
    expect(await refusal(verify().verificationChecks.create({ to, code }))).toMatchObject({ status: 404, code: 20404 });
  });

  it('resends the same code while pending, as Twilio does: the same sid, two send_code_attempts, and it approves', async () => {
    const to = '+14155550109';
    const first = await verify().verifications.create({ to, channel: 'sms' });
    const code = await latestCode(to, 1);
    const again = await verify().verifications.create({ to, channel: 'sms' });
    expect(again.sid).toBe(first.sid);
    expect(await latestCode(to, 2)).toBe(code);
    expect(again.sendCodeAttempts).toHaveLength(2);
    expect(again.sendCodeAttempts.map((a) => (a as { channel: string }).channel)).toEqual(['sms', 'sms']);
    const approved = await verify().verificationChecks.create({ verificationSid: first.sid, code });
    expect(approved).toMatchObject({ sid: first.sid, status: 'approved', valid: true });
  });

  it('checks by VerificationSid, and a canceled send’s id names nothing', async () => {
    const to = '+14155550102';
    const first = await verify().verifications.create({ to, channel: 'sms' });
    await latestCode(to, 1);
    await verify().verifications(first.sid).update({ status: 'canceled' });
    const second = await verify().verifications.create({ to, channel: 'sms' });
    expect(second.sid).not.toBe(first.sid);
    const code = await latestCode(to, 2);
    expect(await refusal(verify().verifications(first.sid).fetch())).toMatchObject({ status: 404, code: 20404 });
    expect(await refusal(verify().verificationChecks.create({ verificationSid: first.sid, code }))).toMatchObject({
      status: 404,
      code: 20404,
    });
    const approved = await verify().verificationChecks.create({ verificationSid: second.sid, code });
    expect(approved).toMatchObject({ sid: second.sid, status: 'approved', valid: true });
  });

  it('locks after MAX_CHECK_ATTEMPTS wrong codes with 60202, even for the right code', async () => {
    const to = '+14155550103';
    await verify().verifications.create({ to, channel: 'sms' });
    const code = await latestCode(to, 1);
    const wrongCode = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 3; i++) {
      expect((await verify().verificationChecks.create({ to, code: wrongCode })).status).toBe('pending');
    }
    expect(await refusal(verify().verificationChecks.create({ to, code }))).toMatchObject({ status: 429, code: 60202 });
    const fetched = await verify().verifications(to).fetch();
    expect(fetched.status).toBe('max_attempts_reached');
  });

  it('refuses sends past SEND_LIMIT with 60203 and Twilio’s error shape', async () => {
    const to = '+14155550104';
    for (let i = 0; i < 3; i++) await verify().verifications.create({ to, channel: 'sms' });
    const refused = await refusal(verify().verifications.create({ to, channel: 'sms' }));
    expect(refused).toMatchObject({ status: 429, code: 60203, moreInfo: 'https://www.twilio.com/docs/errors/60203' });
    expect(refused.message).toMatch(/try again in \d+ s/);
  });

  it('cancels a verification; its code can no longer be approved', async () => {
    const to = '+14155550105';
    const sent = await verify().verifications.create({ to, channel: 'sms' });
    const code = await latestCode(to, 1);
    const cancelled = await verify().verifications(sent.sid).update({ status: 'canceled' });
    expect(cancelled).toMatchObject({ sid: sent.sid, status: 'canceled', valid: false });
    expectComplete(cancelled);
    expect(await refusal(verify().verificationChecks.create({ to, code }))).toMatchObject({ status: 404, code: 20404 });
    expect(await refusal(verify().verifications(sent.sid).fetch())).toMatchObject({ status: 404, code: 20404 });
  });

  it('fetches the service, and answers 20404 for an unknown one', async () => {
    const fetched = await verify().fetch();
    expect(fetched).toMatchObject({ sid: SERVICE_SID, accountSid: ACCOUNT_SID, friendlyName: 'Acme', codeLength: 6 });
    expectComplete(fetched);
    const other = client().verify.v2.services(`VA${'cd'.repeat(16)}`);
    expect(await refusal(other.fetch())).toMatchObject({ status: 404, code: 20404 });
    expect(await refusal(other.verifications.create({ to: '+14155550106', channel: 'sms' }))).toMatchObject({
      status: 404,
      code: 20404,
    });
    expect(codesFor('+14155550106')).toEqual([]);
  });

  it('drives a second service from SERVICES_FILE: its own settings, codes, send count and custom codes', async () => {
    const bank = client().verify.v2.services(BANK_SID);
    const fetched = await bank.fetch();
    expectComplete(fetched);
    expect(fetched).toMatchObject({ sid: BANK_SID, friendlyName: 'Bank', codeLength: 8, customCodeEnabled: true });

    const to = '+14155550171';
    await verify().verifications.create({ to, channel: 'sms' });
    const acmeCode = await latestCode(to, 1);
    const sent = await bank.verifications.create({ to, channel: 'sms' });
    expect(sent).toMatchObject({ serviceSid: BANK_SID, status: 'pending' });
    const bankCode = await latestCode(to, 2);
    expect([acmeCode.length, bankCode.length]).toEqual([6, 8]);
    // Bank allows one send per phone; Acme's count is its own.
    expect(await refusal(bank.verifications.create({ to, channel: 'sms' }))).toMatchObject({
      status: 429,
      code: 60203,
    });
    expect((await bank.verificationChecks.create({ to, code: acmeCode })).status).toBe('pending');
    expect((await bank.verificationChecks.create({ to, code: bankCode })).status).toBe('approved');
    expect((await verify().verificationChecks.create({ to, code: acmeCode })).status).toBe('approved');

    const custom = '+14155550172';
    await bank.verifications.create({ to: custom, channel: 'sms', customCode: '31415926' });
    expect(await latestCode(custom, 1)).toBe('31415926');
    expect((await bank.verificationChecks.create({ to: custom, code: '31415926' })).valid).toBe(true);
    expect(
      await refusal(verify().verifications.create({ to: custom, channel: 'sms', customCode: '123456' })),
    ).toMatchObject({
      status: 400,
      code: 60200,
    });
  });

  it('answers bad credentials with 20003 and sends nothing', async () => {
    const refused = await refusal(verify('not-a-key').verifications.create({ to: '+14155550107', channel: 'sms' }));
    expect(refused).toMatchObject({ status: 401, code: 20003 });
    expect(codesFor('+14155550107')).toEqual([]);
  });

  it('answers an invalid To, and a channel it does not offer, with 60200', async () => {
    expect(await refusal(verify().verifications.create({ to: '12', channel: 'sms' }))).toMatchObject({
      status: 400,
      code: 60200,
    });
    const call = await refusal(verify().verifications.create({ to: '+14155550108', channel: 'whatsapp' }));
    expect(call).toMatchObject({ status: 400, code: 60200 });
    expect(call.message).toContain('Channel');
    expect(codesFor('+14155550108')).toEqual([]);
  });
});

describe('the operator resources through the SDK: attempts, their summary, the safe list', () => {
  const ADMIN_KEY = 'v2-admin-key-0123456789abcdef';
  let ops: ServiceProcess;
  beforeAll(async () => {
    ops = await startService({
      API_KEYS: API_KEY,
      ADMIN_API_KEYS: ADMIN_KEY,
      VERIFY_SERVICE_SID: SERVICE_SID,
      RESEND_COOLDOWN_SECONDS: '0',
      ALLOWED_COUNTRIES: 'US',
    });
  }, 30_000);
  afterAll(async () => {
    await ops?.stop();
  });
  const on = (password: string) => {
    const c = twilio(ACCOUNT_SID, password);
    c.verify.baseUrl = ops.url;
    return c.verify.v2;
  };

  it('lists attempts page by page and sums them up, with Twilio names', async () => {
    const v2 = on(API_KEY);
    for (const to of ['+14155550201', '+14155550202', '+14155550203']) {
      await v2.services(SERVICE_SID).verifications.create({ to, channel: 'sms' });
    }
    const code = ops.lines
      .filter((l) => l.startsWith('[sms] to=+14155550201 '))
      .map((l) => /code is (\d+)/.exec(l)![1]!)[0]!;
    expect((await v2.services(SERVICE_SID).verificationChecks.create({ to: '+14155550201', code })).status).toBe(
      'approved',
    );
    const admin = on(ADMIN_KEY);
    await expect
      .poll(async () => (await admin.verificationAttemptsSummary().fetch()).totalConverted, { timeout: 5000 })
      .toBe(1);
    // pageSize 2: the SDK follows next_page_url for the rest.
    const attempts = await admin.verificationAttempts.list({ pageSize: 2 });
    expect(attempts).toHaveLength(3);
    expect(attempts.map((a) => a.channelData.to)).toEqual(['…0203', '…0202', '…0201']);
    expect(attempts[2]).toMatchObject({ conversionStatus: 'converted', channel: 'sms', serviceSid: SERVICE_SID });
    expect(attempts[2]!.sid).toMatch(/^VL[0-9a-f]{32}$/);
    expect(attempts[2]!.verificationSid).toMatch(/^VE[0-9a-f]{32}$/);
    expect((await admin.verificationAttempts(attempts[0]!.sid).fetch()).sid).toBe(attempts[0]!.sid);
    const summary = await admin.verificationAttemptsSummary().fetch({ country: 'US' });
    expect(summary).toMatchObject({ totalAttempts: 3, totalConverted: 1, totalUnconverted: 2 });
    expect(summary.conversionRatePercentage).toBe('33.33');
    // The API key is not an admin key here.
    await expect(on(API_KEY).verificationAttempts.list()).rejects.toMatchObject({ status: 401 });
  });

  it('adds, fetches and deletes a safe-list number, and a listed number gets a code outside ALLOWED_COUNTRIES', async () => {
    const admin = on(ADMIN_KEY);
    await expect(
      on(API_KEY).services(SERVICE_SID).verifications.create({ to: '+447400123456', channel: 'sms' }),
    ).rejects.toMatchObject({ status: 403, code: 60605 });
    const added = await admin.safelist.create({ phoneNumber: '+447400123456' });
    expect(added.sid).toMatch(/^GN[0-9a-f]{32}$/);
    expect((await admin.safelist('+447400123456').fetch()).phoneNumber).toBe('+447400123456');
    expect(
      (await on(API_KEY).services(SERVICE_SID).verifications.create({ to: '+447400123456', channel: 'sms' })).status,
    ).toBe('pending');
    expect(await admin.safelist('+447400123456').remove()).toBe(true);
    await expect(admin.safelist('+447400123456').fetch()).rejects.toMatchObject({ status: 404 });
  });
});
