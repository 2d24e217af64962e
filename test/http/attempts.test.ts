// Send attempts end to end in one process: recorded from sends, receipts and approvals, and served
// on /v1/attempts and /v1/attempts/summary to the admin key only.
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/adapters/clock/manual-clock.ts';
import { createMemoryAttemptStore } from '../../src/adapters/keyed-stores/memory-attempt-store.ts';
import { createMemoryCodeStore } from '../../src/adapters/keyed-stores/memory-code-store.ts';
import { createMemorySendLimitStore } from '../../src/adapters/memory/memory-send-limit-store.ts';
import { createRecordingSender } from '../../src/adapters/memory/recording-sender.ts';
import { createCodeHasher } from '../../src/adapters/web-crypto/code-hasher.ts';
import { parseSettings } from '../../src/config/settings.ts';
import { createService } from '../../src/service.ts';
import { call } from '../support/http.ts';
import { capturingLogger } from '../support/log-capture.ts';

const ADMIN = 'admin-key-0123456789abcdef';
const API = 'api-key-0123456789abcdef';
const admin = { Authorization: `Bearer ${ADMIN}` };
const api = { Authorization: `Bearer ${API}` };

async function setup() {
  const loaded = parseSettings({
    NODE_ENV: 'test',
    API_KEYS: API,
    ADMIN_API_KEYS: ADMIN,
    RESEND_COOLDOWN_SECONDS: '0',
  });
  if (!loaded.ok) throw new Error(loaded.errors.join());
  const clock = createManualClock(new Date());
  const sender = createRecordingSender();
  const attempts = createMemoryAttemptStore({ now: () => clock.now() });
  const service = createService(loaded.settings, {
    codes: createMemoryCodeStore(),
    limits: createMemorySendLimitStore(),
    sender,
    clock,
    hasher: await createCodeHasher(['attempts-secret-0123456789']),
    logger: capturingLogger(),
    attempts,
  });
  const send = (phone: string) => call(service.app, 'POST', '/v1/verifications', { phone }, api);
  const check = (phone: string) =>
    call(service.app, 'POST', '/v1/verifications/check', { phone, code: sender.lastCode(phone) }, api);
  const get = (path: string, headers: Record<string, string> = admin) =>
    call(service.app, 'GET', path, undefined, headers);
  /** The recorder writes after the answer: wait until `n` attempts are in. */
  const recorded = (n: number) =>
    expect.poll(async () => (await attempts.summary({})).totalAttempts, { timeout: 2000 }).toBe(n);
  return { service, clock, sender, attempts, send, check, get, recorded };
}

describe('/v1/attempts', () => {
  it('records each send (a resend too) with its provider, channel and country, and marks an approval converted', async () => {
    const t = await setup();
    expect((await t.send('+14155552671')).status).toBe(201);
    t.clock.advance(1);
    expect((await t.send('+14155552671')).status).toBe(201);
    t.clock.advance(1);
    expect((await t.send('+447400123456')).status).toBe(201);
    await t.recorded(3);
    expect((await t.check('+14155552671')).status).toBe(200);
    await expect.poll(async () => (await t.attempts.summary({})).converted, { timeout: 2000 }).toBe(2);
    const page = await t.get('/v1/attempts');
    expect(page.status).toBe(200);
    const attempts = page.body.attempts as Record<string, unknown>[];
    expect(attempts.map((a) => [a['country'], a['phoneTail'], a['converted'], a['provider'], a['channel']])).toEqual([
      ['GB', '…3456', false, 'recording', 'sms'],
      ['US', '…2671', true, 'recording', 'sms'],
      ['US', '…2671', true, 'recording', 'sms'],
    ]);
    // Both sends of the US phone are the same verification: one id, Twilio-shaped.
    expect(attempts[1]!['verificationSid']).toMatch(/^VE[0-9a-f]{32}$/);
    expect(attempts[1]!['verificationSid']).toBe(attempts[2]!['verificationSid']);
    expect(JSON.stringify(page.body)).not.toContain('4155552671');
  });

  it('sums up, grouped by country, with the conversion rate', async () => {
    const t = await setup();
    for (const phone of ['+14155552671', '+14155552672', '+14155552673', '+447400123456']) await t.send(phone);
    await t.recorded(4);
    await t.check('+14155552671');
    await t.check('+447400123456');
    await expect.poll(async () => (await t.attempts.summary({})).converted, { timeout: 2000 }).toBe(2);
    const summary = await t.get('/v1/attempts/summary?groupBy=country');
    expect(summary.body).toEqual({
      totalAttempts: 4,
      converted: 2,
      unconverted: 2,
      conversionRate: 0.5,
      groupBy: 'country',
      groups: [
        { country: 'US', totalAttempts: 3, converted: 1, unconverted: 2, conversionRate: 1 / 3 },
        { country: 'GB', totalAttempts: 1, converted: 1, unconverted: 0, conversionRate: 1 },
      ],
    });
    expect((await t.get('/v1/attempts/summary?country=gb')).body).toMatchObject({ totalAttempts: 1, converted: 1 });
  });

  it('pages with the cursor it gives, and refuses bad filters with SMS_000', async () => {
    const t = await setup();
    for (let i = 0; i < 5; i++) {
      await t.send(`+1415555267${i}`);
      t.clock.advance(1);
    }
    await t.recorded(5);
    const first = await t.get('/v1/attempts?limit=2');
    const second = await t.get(`/v1/attempts?limit=2&cursor=${first.body.next}`);
    const third = await t.get(`/v1/attempts?limit=2&cursor=${second.body.next}`);
    const tails = [first, second, third].flatMap((p) =>
      (p.body.attempts as { phoneTail: string }[]).map((a) => a.phoneTail),
    );
    expect(tails).toEqual(['…2674', '…2673', '…2672', '…2671', '…2670']);
    expect(third.body.next).toBeNull();
    for (const bad of [
      'channel=fax',
      'limit=0',
      'from=yesterday',
      'cursor=abc',
      'groupBy=country',
      'limit=1&limit=2',
    ]) {
      const res = await t.get(`/v1/attempts?${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body).toMatchObject({ code: 'SMS_000' });
    }
  });

  it('answers the admin key only: an API key gets 401', async () => {
    const t = await setup();
    expect((await t.get('/v1/attempts', api)).status).toBe(401);
    expect((await t.get('/v1/attempts/summary', {})).status).toBe(401);
    expect((await t.get('/v1/attempts')).status).toBe(200);
  });
});
