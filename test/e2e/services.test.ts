// Services from SERVICES_FILE through createService, on memory stores and on the MongoDB-compatible
// server: each service's own rules, codes and per-phone limits, shared abuse controls, both APIs.
import { afterAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/adapters/clock/manual-clock.ts';
import { createMemoryCodeStore } from '../../src/adapters/keyed-stores/memory-code-store.ts';
import { createMemoryIdempotencyStore } from '../../src/adapters/keyed-stores/memory-idempotency-store.ts';
import { createMemorySendLimitStore } from '../../src/adapters/memory/memory-send-limit-store.ts';
import { createRecordingSender } from '../../src/adapters/memory/recording-sender.ts';
import { createMongoIdempotencyStore } from '../../src/adapters/mongodb/mongo-idempotency-store.ts';
import { createCodeHasher } from '../../src/adapters/web-crypto/code-hasher.ts';
import { policyFromSettings } from '../../src/config/policy-from-settings.ts';
import { parseServicesFile } from '../../src/config/services-file.ts';
import { parseSettings } from '../../src/config/settings.ts';
import { createService } from '../../src/service.ts';
import { call, phonePath } from '../support/http.ts';
import { capturingLogger } from '../support/log-capture.ts';
import { dropTestDbs, freshStores, mongo } from '../support/mongo-test-db.ts';

const KEY = 'services-api-key-0123456789';
const DEFAULT_SID = `VA${'00'.repeat(16)}`;
const SHOP = `VA${'5a'.repeat(16)}`;
const BANK = `VA${'b4'.repeat(16)}`;
const PHONE = '+14155552671';
const BEARER = { Authorization: `Bearer ${KEY}` };
const BASIC = { Authorization: `Basic ${btoa(`AC${'12'.repeat(16)}:${KEY}`)}` };

afterAll(dropTestDbs);

const FILE = JSON.stringify({
  services: [
    { sid: SHOP, friendlyName: 'Shop', codeLength: 8, sendLimit: 1, resendCooldownSeconds: 0, customCodeEnabled: true },
    { sid: BANK, friendlyName: 'Bank', maxCheckAttempts: 2, codeTtlSeconds: 60, template: 'Bank code: {code}' },
  ],
});

type Stores = () => Promise<Parameters<typeof createService>[1] extends infer A ? Partial<A> : never>;
const storeKinds: [string, Stores][] = [
  [
    'in-memory stores',
    async () => ({
      codes: createMemoryCodeStore(),
      limits: createMemorySendLimitStore(),
      idempotency: createMemoryIdempotencyStore(),
    }),
  ],
  ...(mongo.uri
    ? ([
        [
          `MongoDB on ${mongo.description}`,
          async () => {
            const stores = await freshStores();
            return { ...stores, idempotency: createMongoIdempotencyStore(stores.db) };
          },
        ],
      ] as [string, Stores][])
    : []),
];

async function setup(stores: Stores, env: Record<string, string> = {}) {
  const loaded = parseSettings({
    NODE_ENV: 'test',
    API_KEYS: KEY,
    RESEND_COOLDOWN_SECONDS: '0',
    IP_SEND_LIMIT: '4',
    ...env,
  });
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  const parsed = parseServicesFile(FILE, policyFromSettings(loaded.settings));
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  const clock = createManualClock(new Date('2026-03-01T12:00:00.000Z'));
  const sender = createRecordingSender();
  const adapters = await stores();
  const service = createService(
    loaded.settings,
    {
      codes: adapters.codes!,
      limits: adapters.limits!,
      idempotency: adapters.idempotency,
      sender,
      clock,
      hasher: await createCodeHasher(['services-secret-0123456789']),
      logger: capturingLogger(),
    },
    parsed.services,
  );
  const v1 = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    call(service.app, method, path, body, { ...BEARER, ...headers });
  const v2 = (method: string, path: string, fields?: Record<string, string>) =>
    call(
      service.app,
      method,
      `/v2/Services${path}`,
      fields && new URLSearchParams(fields).toString(),
      fields ? { ...BASIC, 'Content-Type': 'application/x-www-form-urlencoded' } : BASIC,
    );
  const scoped = (sid: string) => `/v1/services/${sid}/verifications`;
  return { service, clock, sender, adapters, v1, v2, scoped };
}

describe.each(storeKinds)('services from SERVICES_FILE (%s)', (_name, stores) => {
  it('keeps codes apart: the same phone holds one verification per service, checked only where it was sent', async () => {
    const t = await setup(stores);
    expect((await t.v1('POST', '/v1/verifications', { phone: PHONE })).status).toBe(201);
    const defaultCode = t.sender.lastCode(PHONE)!;
    expect((await t.v1('POST', t.scoped(SHOP), { phone: PHONE, ip: '198.51.100.7' })).status).toBe(201);
    const shopCode = t.sender.lastCode(PHONE)!;
    expect(defaultCode).toHaveLength(6);
    expect(shopCode).toHaveLength(8);

    // The shop's code is wrong for the default service, and the default one's is wrong for the shop.
    expect((await t.v1('POST', '/v1/verifications/check', { phone: PHONE, code: shopCode })).body.code).toBe('SMS_004');
    const crossed = await t.v1('POST', `${t.scoped(SHOP)}/check`, { phone: PHONE, code: defaultCode });
    expect(crossed.body.code).toBe('SMS_004');
    expect((await t.v1('POST', `${t.scoped(SHOP)}/check`, { phone: PHONE, code: shopCode })).status).toBe(200);
    // Approving the shop's left the default service's pending, with one wrong check counted.
    const left = await t.v1('GET', phonePath(PHONE));
    expect(left.body).toMatchObject({ status: 'pending', attemptsRemaining: 4 });
    expect((await t.v1('POST', '/v1/verifications/check', { phone: PHONE, code: defaultCode })).status).toBe(200);
    // The default service's id also works under /v1/services.
    expect((await t.v1('GET', `${t.scoped(DEFAULT_SID)}/${encodeURIComponent(PHONE)}`)).body.status).toBe('approved');
    // Cancelling in one service leaves the other's.
    expect((await t.v1('DELETE', `${t.scoped(SHOP)}/${encodeURIComponent(PHONE)}`)).status).toBe(204);
    expect((await t.v1('GET', phonePath(PHONE))).body.status).toBe('approved');
  });

  it("counts each service's sends per phone, and shares the per-IP limit across services", async () => {
    const t = await setup(stores);
    const send = (path: string, ip: string) => t.v1('POST', path, { phone: PHONE, ip });
    // SHOP allows one send per phone; the default service (SEND_LIMIT 5) is not charged by it.
    expect((await send(t.scoped(SHOP), '203.0.113.1')).status).toBe(201);
    const refused = await send(t.scoped(SHOP), '203.0.113.2');
    expect(refused.body).toMatchObject({ code: 'SMS_002' });
    expect((await send('/v1/verifications', '203.0.113.3')).status).toBe(201);
    expect((await send(t.scoped(BANK), '203.0.113.4')).status).toBe(201);

    // IP_SEND_LIMIT=4 counts one caller's sends to any service.
    const ip = '198.51.100.9';
    const statuses = [];
    for (const [path, phone] of [
      ['/v1/verifications', '+14155550101'],
      [t.scoped(SHOP), '+14155550102'],
      [t.scoped(BANK), '+14155550103'],
      ['/v1/verifications', '+14155550104'],
      [t.scoped(SHOP), '+14155550105'],
    ] as const) {
      statuses.push((await t.v1('POST', path, { phone, ip })).status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 429]);
  });

  it('caps wrong guesses per phone across services, test numbers included: one window, not one per service', async () => {
    const t = await setup(stores, { TEST_CODES: '+15005550006=123456' });
    for (const phone of [PHONE, '+15005550006']) {
      let wrong = 0;
      for (let send = 0; send < 5; send++) {
        expect((await t.v1('POST', '/v1/verifications', { phone })).status).toBe(201);
        for (let guess = 0; guess < 5; guess++) {
          const answer = await t.v1('POST', '/v1/verifications/check', { phone, code: `00000${guess}` });
          if (answer.body.code === 'SMS_004') wrong++;
        }
      }
      expect(wrong).toBe(25);
      // Another service's fresh code is refused before it is compared: the phone's window is used up.
      for (const sid of [SHOP, BANK]) {
        expect((await t.v1('POST', t.scoped(sid), { phone })).status).toBe(201);
        const refused = await t.v1('POST', `${t.scoped(sid)}/check`, { phone, code: '99999999' });
        expect(refused.body).toMatchObject({ code: 'SMS_005', retryAfter: expect.any(Number) });
      }
    }
  });

  it("applies each service's own TTL, attempts and template", async () => {
    const t = await setup(stores);
    expect((await t.v1('POST', t.scoped(BANK), { phone: PHONE })).status).toBe(201);
    expect(t.sender.sent.at(-1)!.text).toMatch(/^Bank code: \d{6}$/);
    const code = t.sender.lastCode(PHONE)!;
    const wrong = code.replace(/.$/, (d) => String((Number(d) + 1) % 10));
    expect((await t.v1('POST', `${t.scoped(BANK)}/check`, { phone: PHONE, code: wrong })).body).toMatchObject({
      code: 'SMS_004',
      attemptsRemaining: 1,
    });
    expect((await t.v1('POST', `${t.scoped(BANK)}/check`, { phone: PHONE, code: wrong })).body.attemptsRemaining).toBe(
      0,
    );
    expect((await t.v1('POST', `${t.scoped(BANK)}/check`, { phone: PHONE, code })).body.code).toBe('SMS_005');

    expect((await t.v1('POST', t.scoped(BANK), { phone: '+14155550111' })).status).toBe(201);
    t.clock.advance(60);
    const late = await t.v1('POST', `${t.scoped(BANK)}/check`, {
      phone: '+14155550111',
      code: t.sender.lastCode('+14155550111')!,
    });
    expect(late.body.code).toBe('SMS_003');
    // The default service keeps the environment's rules: 10 minutes, 5 attempts.
    expect((await t.v1('POST', '/v1/verifications', { phone: '+14155550111' })).status).toBe(201);
    t.clock.advance(60);
    const inTime = await t.v1('POST', '/v1/verifications/check', {
      phone: '+14155550111',
      code: t.sender.lastCode('+14155550111')!,
    });
    expect(inTime.status).toBe(200);
  });

  it('answers an unknown service with 404 on /v1 (SMS_014) and on /v2 (20404), sending nothing', async () => {
    const t = await setup(stores);
    const unknown = `VA${'77'.repeat(16)}`;
    const v1 = await t.v1('POST', t.scoped(unknown), { phone: PHONE });
    expect(v1).toMatchObject({ status: 404, body: { code: 'SMS_014' } });
    expect(v1.body.detail).toContain(unknown);
    const v2 = await t.v2('POST', `/${unknown}/Verifications`, { To: PHONE, Channel: 'sms' });
    expect(v2).toMatchObject({ status: 404, body: { code: 20404 } });
    expect(t.sender.sent).toHaveLength(0);
    // A fixed path keeps its methods under the prefix too.
    expect((await t.v1('GET', `${t.scoped(SHOP)}/check`)).status).toBe(405);
  });

  it('serves every service on /v2, with its own settings and custom codes where enabled', async () => {
    const t = await setup(stores);
    expect((await t.v2('GET', `/${SHOP}`)).body).toMatchObject({
      sid: SHOP,
      friendly_name: 'Shop',
      code_length: 8,
      custom_code_enabled: true,
    });
    expect((await t.v2('GET', `/${DEFAULT_SID}`)).body).toMatchObject({
      friendly_name: 'sms-verify',
      code_length: 6,
      custom_code_enabled: false,
    });

    const sent = await t.v2('POST', `/${SHOP}/Verifications`, { To: PHONE, Channel: 'sms', CustomCode: '24681357' });
    expect(sent).toMatchObject({ status: 201, body: { service_sid: SHOP, status: 'pending' } });
    expect(t.sender.lastCode(PHONE)).toBe('24681357');
    const checked = await t.v2('POST', `/${SHOP}/VerificationCheck`, {
      VerificationSid: sent.body.sid,
      Code: '24681357',
    });
    expect(checked.body).toMatchObject({ status: 'approved', valid: true, service_sid: SHOP });
    // The VE id names a verification of its own service only.
    expect((await t.v2('GET', `/${BANK}/Verifications/${sent.body.sid}`)).body.code).toBe(20404);

    const bad = await t.v2('POST', `/${SHOP}/Verifications`, { To: PHONE, Channel: 'sms', CustomCode: '12ab' });
    expect(bad).toMatchObject({ status: 400, body: { code: 60200 } });
    const refused = await t.v2('POST', `/${DEFAULT_SID}/Verifications`, {
      To: PHONE,
      Channel: 'sms',
      CustomCode: '123456',
    });
    expect(refused).toMatchObject({ status: 400, body: { code: 60200 } });
    expect(refused.body.message).toContain('CustomCode');
  });

  it('takes a code in the /v1 body only where the service enables custom codes', async () => {
    const t = await setup(stores);
    expect((await t.v1('POST', t.scoped(SHOP), { phone: PHONE, code: '13572468' })).status).toBe(201);
    expect(t.sender.lastCode(PHONE)).toBe('13572468');
    expect((await t.v1('POST', `${t.scoped(SHOP)}/check`, { phone: PHONE, code: '13572468' })).status).toBe(200);
    const refused = await t.v1('POST', '/v1/verifications', { phone: PHONE, code: '135724' });
    expect(refused).toMatchObject({ status: 400, body: { code: 'SMS_000' } });
    expect(refused.body.detail).toMatch(/custom codes are not enabled/i);
    expect(t.sender.sent).toHaveLength(1);
  });

  it('keeps Idempotency-Key per service: one key on two services is two sends', async () => {
    const t = await setup(stores);
    const key = { 'Idempotency-Key': 'order-42' };
    const first = await t.v1('POST', '/v1/verifications', { phone: PHONE }, key);
    const replay = await t.v1('POST', '/v1/verifications', { phone: PHONE }, key);
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    const other = await t.v1('POST', t.scoped(BANK), { phone: PHONE }, key);
    expect(other.status).toBe(201);
    expect(other.headers.get('Idempotent-Replayed')).toBeNull();
    expect(t.sender.sent).toHaveLength(2);
  });
});

describe.skipIf(!mongo.uri)(`the default service's documents on MongoDB (${mongo.description})`, () => {
  it("keep today's shape; another service's phone_number carries its sid", async () => {
    const t = await setup(async () => {
      const stores = await freshStores();
      return { ...stores, idempotency: createMongoIdempotencyStore(stores.db) };
    });
    const db = (t.adapters as unknown as Awaited<ReturnType<typeof freshStores>>).db;
    expect((await t.v1('POST', '/v1/verifications', { phone: PHONE })).status).toBe(201);
    expect((await t.v1('POST', t.scoped(SHOP), { phone: PHONE })).status).toBe(201);
    const numbers = await db
      .collection('sms_verification_codes')
      .find({}, { projection: { _id: 0, phone_number: 1 } })
      .toArray();
    expect(numbers.map((d) => d['phone_number']).sort()).toEqual([PHONE, `${SHOP}:${PHONE}`]);
  });
});
