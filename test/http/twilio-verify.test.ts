// The Verify v2 adapter in process: the same rules as /v1 through Twilio's shapes, its ids, its
// guard, and the README's code table checked against the one the adapter answers with.
import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { createCodeHasher } from '../../src/adapters/web-crypto/code-hasher.ts';
import { ERRORS, type ErrorName } from '../../src/domain/errors.ts';
import { createApp } from '../../src/http/create-app.ts';
import { TWILIO_CODES } from '../../src/http/verify-v2/v2-errors.ts';
import { verificationSidsFrom } from '../../src/http/verify-v2/verification-sid.ts';
import {
  TwilioError,
  TwilioService,
  TwilioVerification,
  TwilioVerificationCheck,
} from '../../src/http/verify-v2/verify-openapi.ts';
import { createHarness, PHONE, SECRET } from '../support/harness.ts';
import { call } from '../support/http.ts';

const SERVICE = `VA${'0f'.repeat(16)}`;
const KEY = 'twilio-verify-key-0123456789';
const BASIC = { Authorization: `Basic ${btoa(`AC${'34'.repeat(16)}:${KEY}`)}` };

async function setup(policy: Parameters<typeof createHarness>[0] = {}) {
  const h = await createHarness(policy);
  const sids = verificationSidsFrom(await createCodeHasher([SECRET]));
  const app = createApp({
    verifier: h.verifier,
    apiKeys: [KEY],
    services: [
      {
        sid: SERVICE,
        friendlyName: 'Acme',
        codeLength: 6,
        customCodeEnabled: false,
        createdAt: h.clock.now(),
        verifier: h.verifier,
      },
    ],
    verifyV2: {
      sids,
      now: () => h.clock.now(),
    },
  });
  const form = (method: string, path: string, fields: Record<string, string>, headers = BASIC) =>
    call(app, method, `/v2/Services/${SERVICE}${path}`, new URLSearchParams(fields).toString(), {
      'Content-Type': 'application/x-www-form-urlencoded',
      ...headers,
    });
  return { ...h, app, sids, form };
}

describe('Verify v2 adapter', () => {
  it('refuses a CustomFriendlyName with control or bidirectional-override characters with 60200', async () => {
    const t = await setup();
    for (const name of ['Bank\u202ekoob', 'Bank\u0000', 'Bank\u001b[31m', 'Bank\u2066x']) {
      const refused = await t.form('POST', '/Verifications', { To: PHONE, Channel: 'sms', CustomFriendlyName: name });
      expect(refused.body).toMatchObject({ code: 60200, status: 400 });
    }
    expect(t.sender.sent).toHaveLength(0);
  });

  it('refuses a DeviceIp that is not one address with 60200, so the per-IP limit cannot be switched off', async () => {
    const t = await setup({
      policy: { ipSendLimit: 2, resendCooldownSeconds: 0, sendLimit: 100, prefixSendLimit: 100 },
    });
    for (const bad of ['198.51.100.7, 10.0.0.1', '198.51.100.7 ', ' 198.51.100.7', 'not-an-ip']) {
      const refused = await t.form('POST', '/Verifications', { To: PHONE, Channel: 'sms', DeviceIp: bad });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ code: 60200 });
    }
    const sent = [];
    for (let i = 0; i < 3; i++) {
      const phone = `+1415555010${i}`;
      sent.push(
        (await t.form('POST', '/Verifications', { To: phone, Channel: 'sms', DeviceIp: '198.51.100.7' })).status,
      );
    }
    expect(sent).toEqual([201, 201, 429]);
    expect(t.sender.sent).toHaveLength(2);
  });

  it('shares its verifications and rules with /v1: sent on one, checked on the other', async () => {
    const t = await setup({ app: { apiKeys: [KEY] } });
    const code = await t.sendCode();
    const checked = await t.form('POST', '/VerificationCheck', { To: PHONE, Code: code });
    expect(checked.body).toMatchObject({ status: 'approved', valid: true, to: PHONE });
    const v1 = await call(t.app, 'GET', `/v1/verifications/${encodeURIComponent(PHONE)}`, undefined, {
      Authorization: `Bearer ${KEY}`,
    });
    expect(v1.body).toMatchObject({ status: 'approved', verified: true });
  });

  it('reads expiry from the clock: a pending code expires, then a check answers 20404', async () => {
    const t = await setup({ policy: { codeTtlSeconds: 60 } });
    const sent = await t.form('POST', '/Verifications', { To: PHONE, Channel: 'sms' });
    expect(sent.status).toBe(201);
    const code = t.sender.lastCode(PHONE)!;
    t.clock.advance(60_000);
    const fetched = await call(
      t.app,
      'GET',
      `/v2/Services/${SERVICE}/Verifications/${sent.body.sid}`,
      undefined,
      BASIC,
    );
    expect(fetched.body).toMatchObject({ sid: sent.body.sid, status: 'expired', valid: false });
    const checked = await t.form('POST', '/VerificationCheck', { VerificationSid: sent.body.sid, Code: code });
    expect(checked).toMatchObject({ status: 404, body: { code: 20404, status: 404 } });
  });

  it('answers the domain refusals with their Twilio codes', async () => {
    const t = await setup({ policy: { allowedCountries: ['GB'] } });
    const country = await t.form('POST', '/Verifications', { To: PHONE, Channel: 'sms' });
    expect(country).toMatchObject({
      status: 403,
      body: { code: 60605, more_info: 'https://www.twilio.com/docs/errors/60605' },
    });
    const invalid = await t.form('POST', '/Verifications', { To: 'not a number', Channel: 'sms' });
    expect(invalid).toMatchObject({ status: 400, body: { code: 60200 } });
    expect(t.sender.sent).toHaveLength(0);
  });

  it('refuses unknown and duplicated parameters, and a missing To, naming them', async () => {
    const t = await setup();
    const unknown = await t.form('POST', '/Verifications', { To: PHONE, Channel: 'sms', Colour: 'red' });
    expect(unknown).toMatchObject({ status: 400, body: { code: 60200 } });
    expect(unknown.body.message).toContain('Colour');
    const missing = await t.form('POST', '/Verifications', { Channel: 'sms' });
    expect(missing.body.message).toContain('To is required');
    const both = await t.form('POST', '/VerificationCheck', {
      To: PHONE,
      VerificationSid: `VE${'1'.repeat(32)}`,
      Code: '123456',
    });
    expect(both).toMatchObject({ status: 400, body: { code: 60200 } });
    const custom = await t.form('POST', '/Verifications', { To: PHONE, Channel: 'sms', CustomCode: '123456' });
    expect(custom.body.message).toContain('CustomCode');
    const approve = await t.form('POST', `/Verifications/${encodeURIComponent(PHONE)}`, { Status: 'approved' });
    expect(approve).toMatchObject({ status: 400, body: { code: 60200 } });
    // CustomFriendlyName and AppHash shape this message; a bad AppHash is refused before any send.
    const badHash = await t.form('POST', '/Verifications', { To: PHONE, Channel: 'sms', AppHash: 'h' });
    expect(badHash).toMatchObject({ status: 400, body: { code: 60200 } });
    const named = await t.form('POST', '/Verifications', {
      To: PHONE,
      Channel: 'sms',
      CustomFriendlyName: 'Acme Pay',
      AppHash: 'FA+9qCX9VSu',
      Amount: '10',
    });
    expect(named.status).toBe(201);
    expect(t.sender.sent).toHaveLength(1);
    expect(t.sender.sent[0]!.text).toMatch(/^Your Acme Pay code is \d{6}\. .*\nFA\+9qCX9VSu$/);
  });

  it('guards with HTTP Basic over the API keys; a Bearer key or a wrong password is 20003', async () => {
    const t = await setup();
    const none = await t.form('POST', '/Verifications', { To: PHONE, Channel: 'sms' }, {} as typeof BASIC);
    expect(none).toMatchObject({ status: 401, body: { code: 20003 } });
    expect(none.headers.get('WWW-Authenticate')).toMatch(/^Basic/);
    const bearer = await t.form(
      'POST',
      '/Verifications',
      { To: PHONE, Channel: 'sms' },
      { Authorization: `Bearer ${KEY}` },
    );
    expect(bearer.status).toBe(401);
    const wrong = await t.form(
      'POST',
      '/Verifications',
      { To: PHONE, Channel: 'sms' },
      {
        Authorization: `Basic ${btoa(`AC${'34'.repeat(16)}:${KEY}x`)}`,
      },
    );
    expect(wrong).toMatchObject({ status: 401, body: { code: 20003 } });
    expect(t.sender.sent).toHaveLength(0);
    // An SK… user name (the SDK's API-key form) is fine; account_sid is then a placeholder.
    const sk = await t.form(
      'POST',
      '/Verifications',
      { To: PHONE, Channel: 'sms' },
      {
        Authorization: `Basic ${btoa(`SK${'56'.repeat(16)}:${KEY}`)}`,
      },
    );
    expect(sk).toMatchObject({ status: 201, body: { account_sid: `AC${'0'.repeat(32)}` } });
  });

  it('answers unknown paths, unknown services, unreadable and over-long bodies in Twilio’s shape', async () => {
    const t = await setup();
    const path = await call(t.app, 'GET', `/v2/Services/${SERVICE}/Nothing`, undefined, BASIC);
    expect(path).toMatchObject({ status: 404, body: { code: 20404 } });
    const service = await call(t.app, 'GET', `/v2/Services/VA${'1'.repeat(32)}`, undefined, BASIC);
    expect(service).toMatchObject({ status: 404, body: { code: 20404 } });
    const large = await t.form('POST', '/Verifications', { To: PHONE, Channel: 'sms', Tags: 'x'.repeat(20_000) });
    expect(large).toMatchObject({ status: 413, body: { code: 60200, status: 413 } });
    const unreadable = await call(t.app, 'POST', `/v2/Services/${SERVICE}/Verifications`, '--x\r\nnot multipart', {
      'Content-Type': 'multipart/form-data; boundary=y',
      ...BASIC,
    });
    expect(unreadable).toMatchObject({ status: 400, body: { code: 60200 } });
    expect(t.sender.sent).toHaveLength(0);
  });

  it('gives a VE id that names one send: opaque, stable, and dead once replaced or tampered with', async () => {
    const sids = verificationSidsFrom(await createCodeHasher([SECRET]));
    const at = new Date('2026-03-01T12:00:00Z');
    for (const phone of ['+14155552671', '+6834001', '+441234567890', '+123456789012345']) {
      const sid = await sids.sidFor(phone, at);
      expect(sid).toMatch(/^VE[0-9a-f]{32}$/);
      expect(sid).not.toContain(phone.slice(-4));
      expect(await sids.sidFor(phone, at)).toBe(sid);
      expect(await sids.phoneOf(sid)).toBe(phone);
      expect(await sids.matches(sid, phone, at)).toBe(true);
      expect(await sids.matches(sid, phone, new Date(at.getTime() + 1))).toBe(false);
      const tampered = `${sid.slice(0, 33)}${sid[33] === '0' ? '1' : '0'}`;
      expect(await sids.matches(tampered, phone, at)).toBe(sid.slice(2, 18) === tampered.slice(2, 18));
      const otherTag = `VE${sid[2] === '0' ? '1' : '0'}${sid.slice(3)}`;
      expect(await sids.matches(otherTag, phone, at)).toBe(false);
    }
    const otherSecret = verificationSidsFrom(await createCodeHasher(['another-secret-0123456789']));
    expect(await otherSecret.sidFor(PHONE, at)).not.toBe(await sids.sidFor(PHONE, at));
    expect(await sids.phoneOf('VE123')).toBeNull();
  });

  it('documents every error code’s Twilio code and status in the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const [name, { code: ours }] of Object.entries(ERRORS) as [ErrorName, (typeof ERRORS)[ErrorName]][]) {
      const row = readme.split('\n').find((line) => line.startsWith(`| ${ours} `) && line.split('|').length === 5);
      expect(row, `README lacks the Twilio row of ${ours}`).toBeDefined();
      const [, , status, twilio] = row!.split('|').map((cell) => cell.trim());
      if (name === 'WRONG_CODE') {
        expect([status, twilio]).toEqual(['200', 'none: `status: pending, valid: false`']);
        continue;
      }
      expect([status, twilio], ours).toEqual([String(TWILIO_CODES[name].status), String(TWILIO_CODES[name].code)]);
    }
  });

  it('documents the v2 routes in a valid OpenAPI document, and answers what it documents', async () => {
    const t = await setup();
    const doc = (await call(t.app, 'GET', '/openapi.json')).body;
    const validator = new Validator();
    expect(await validator.validate(doc)).toMatchObject({ valid: true });
    const served = t.app.routes
      .filter((r) => r.method !== 'ALL' && r.path.startsWith('/v2/'))
      .map(
        (r) =>
          `${r.method} ${r.path.replace(/:(\w+)/g, (_, name: string) => `{${name[0]!.toUpperCase()}${name.slice(1)}}`)}`,
      );
    const described = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .filter(([path]) => path.startsWith('/v2/'))
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(new Set(served)).toEqual(new Set(described));
    expect(doc.paths['/v2/Services/{ServiceSid}/Verifications'].post.requestBody.content).toHaveProperty(
      'application/x-www-form-urlencoded',
    );
    // Error responses come from the use cases' error lists and the Twilio code table.
    const create = JSON.stringify(doc.paths['/v2/Services/{ServiceSid}/Verifications'].post.responses);
    for (const code of ['60200', '60203', '60205', '60410', '60605', '60008', '20003', '20404', '20503']) {
      expect(create).toContain(code);
    }
    const check = doc.paths['/v2/Services/{ServiceSid}/VerificationCheck'].post.responses;
    expect(JSON.stringify(check['429'])).toContain('60202');
    expect(JSON.stringify(check)).not.toContain('SMS_004');
    expect(Object.keys(doc.paths['/v2/Services/{ServiceSid}'].get.responses).sort()).toEqual([
      '200',
      '401',
      '404',
      '500',
    ]);

    const sent = await t.form('POST', '/Verifications', { To: PHONE, Channel: 'sms' });
    expect(v.safeParse(TwilioVerification, sent.body).issues).toBeUndefined();
    const code = t.sender.lastCode(PHONE)!;
    const wrong = await t.form('POST', '/VerificationCheck', { To: PHONE, Code: t.wrong(code) });
    expect(v.safeParse(TwilioVerificationCheck, wrong.body).issues).toBeUndefined();
    const right = await t.form('POST', '/VerificationCheck', { To: PHONE, Code: code });
    expect(v.safeParse(TwilioVerificationCheck, right.body).issues).toBeUndefined();
    const service = await call(t.app, 'GET', `/v2/Services/${SERVICE}`, undefined, BASIC);
    expect(v.safeParse(TwilioService, service.body).issues).toBeUndefined();
    const again = await t.form('POST', '/VerificationCheck', { To: PHONE, Code: code });
    expect(v.safeParse(TwilioError, again.body).issues).toBeUndefined();
  });
});
