// The fallback workflow on a manual clock: each step once, the same code, stopped by approval.
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/adapters/clock/manual-clock.ts';
import { createMemoryCodeStore } from '../../src/adapters/keyed-stores/memory-code-store.ts';
import { createMemorySendLimitStore } from '../../src/adapters/memory/memory-send-limit-store.ts';
import { createRecordingSender } from '../../src/adapters/memory/recording-sender.ts';
import { createCodeHasher } from '../../src/adapters/web-crypto/code-hasher.ts';
import { parseSettings } from '../../src/config/settings.ts';
import { parseWorkflow } from '../../src/domain/verification/workflow.ts';
import { createService } from '../../src/service.ts';
import { call } from '../support/http.ts';
import { capturingLogger } from '../support/log-capture.ts';

const PHONE = '+14155552671';

async function setup(workflow = 'sms:60,whatsapp:60,call', codes = createMemoryCodeStore()) {
  const loaded = parseSettings({ NODE_ENV: 'test', FALLBACK_WORKFLOW: workflow, RESEND_COOLDOWN_SECONDS: '0' });
  if (!loaded.ok) throw new Error(loaded.errors.join());
  const clock = createManualClock(new Date('2026-03-01T12:00:00Z'));
  const sender = createRecordingSender();
  const service = createService(loaded.settings, {
    codes,
    limits: createMemorySendLimitStore(),
    sender,
    clock,
    hasher: await createCodeHasher(['workflow-secret-0123456789']),
    logger: capturingLogger(),
  });
  const channels = () => sender.sent.filter((m) => m.to === PHONE).map((m) => m.channel);
  return { service, clock, sender, channels, codes };
}

describe('parseWorkflow', () => {
  it('reads channel:seconds steps, the last without a wait', () => {
    expect(parseWorkflow('sms:60,whatsapp:60,call')).toEqual({
      ok: true,
      workflow: [
        { channel: 'sms', waitSeconds: 60 },
        { channel: 'whatsapp', waitSeconds: 60 },
        { channel: 'call', waitSeconds: null },
      ],
    });
    for (const bad of ['sms', 'sms:60,fax', 'sms,call', 'sms:0,call', ''])
      expect(parseWorkflow(bad)).toMatchObject({ ok: false });
    expect(parseSettings({ FALLBACK_WORKFLOW: 'sms:60,fax' })).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^FALLBACK_WORKFLOW must be channel:seconds steps/)],
    });
  });
});

describe('the fallback workflow', () => {
  it('sends the next channel by itself when a step passes without approval, with the same code, then stops', async () => {
    const t = await setup();
    expect((await call(t.service.app, 'POST', '/v1/verifications', { phone: PHONE })).status).toBe(201);
    const code = t.sender.lastCode(PHONE)!;
    t.clock.advance(59);
    expect(await t.service.runDueSteps()).toBe(0);
    t.clock.advance(1);
    expect(await t.service.runDueSteps()).toBe(1);
    expect(t.channels()).toEqual(['sms', 'whatsapp']);
    t.clock.advance(60);
    expect(await t.service.runDueSteps()).toBe(1);
    t.clock.advance(300);
    expect(await t.service.runDueSteps()).toBe(0);
    expect(t.channels()).toEqual(['sms', 'whatsapp', 'call']);
    expect(t.sender.sent.filter((m) => m.to === PHONE).every((m) => m.code === code)).toBe(true);
    const read = await call(t.service.app, 'GET', `/v1/verifications/${encodeURIComponent(PHONE)}`);
    expect(read.body.sendAttempts.map((a: { channel: string }) => a.channel)).toEqual(['sms', 'whatsapp', 'call']);
    expect((await call(t.service.app, 'POST', '/v1/verifications/check', { phone: PHONE, code })).status).toBe(200);
  });

  it('sends nothing after approval, a cancel, a lock or expiry', async () => {
    const t = await setup('sms:60,call');
    const phones = ['+14155550001', '+14155550002', '+14155550003', '+14155550004'];
    for (const phone of phones) await call(t.service.app, 'POST', '/v1/verifications', { phone });
    await call(t.service.app, 'POST', '/v1/verifications/check', {
      phone: phones[0],
      code: t.sender.lastCode(phones[0]!),
    });
    await call(t.service.app, 'DELETE', `/v1/verifications/${encodeURIComponent(phones[1]!)}`);
    for (let i = 0; i < 5; i++)
      await call(t.service.app, 'POST', '/v1/verifications/check', { phone: phones[2], code: '0000' });
    t.clock.advance(60);
    expect(await t.service.runDueSteps()).toBe(1);
    expect(t.sender.sent.at(-1)).toMatchObject({ to: phones[3], channel: 'call' });
    const expired = await setup('sms:900,call');
    await call(expired.service.app, 'POST', '/v1/verifications', { phone: PHONE });
    expired.clock.advance(900);
    expect(await expired.service.runDueSteps()).toBe(0);
  });

  it('sends the next step at once when the provider reports the message undelivered', async () => {
    const t = await setup('sms:600,call');
    await call(t.service.app, 'POST', '/v1/verifications', { phone: PHONE });
    const messageId = (await t.codes.get(PHONE, t.clock.now()))!.messageId!;
    t.clock.advance(5);
    expect(await t.service.runDueSteps()).toBe(0);
    await t.codes.recordDelivery(messageId, { status: 'undelivered', updatedAt: t.clock.now(), errorCode: '30003' });
    expect(await t.service.runDueSteps()).toBe(1);
    expect(t.channels()).toEqual(['sms', 'call']);
  });

  it('sends each step once when passes run at once (two instances on one store)', async () => {
    const codes = createMemoryCodeStore();
    const t = await setup('sms:60,call', codes);
    await call(t.service.app, 'POST', '/v1/verifications', { phone: PHONE });
    t.clock.advance(60);
    const passes = await Promise.all(Array.from({ length: 5 }, () => t.service.runDueSteps()));
    expect(passes.reduce((a, b) => a + b, 0)).toBe(1);
    expect(t.channels()).toEqual(['sms', 'call']);
  });
});
