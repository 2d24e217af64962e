// SPEC section 1, sending: limits, cooldown, replacement, provider outcomes, test codes.
import { describe, expect, it } from 'vitest';
import { createMemoryCodeStore } from '../../src/adapters/keyed-stores/memory-code-store.ts';
import { createMemorySendLimitStore } from '../../src/adapters/memory/memory-send-limit-store.ts';
import { DEFAULT_FRAUD_POLICY } from '../../src/domain/fraud/fraud-policy.ts';
import { StoreUnavailableError } from '../../src/ports/store-unavailable.ts';
import { createHarness, PHONE } from '../support/harness.ts';

const refused = { ok: false, reason: 'provider_failed', providerCode: '20429', detail: 'busy' } as const;
const destination = { ok: false, reason: 'destination_refused', providerCode: '21211', detail: 'invalid To' } as const;

describe('sending a code', () => {
  it('sends a code of CODE_LENGTH digits and answers the pending verification', async () => {
    const h = await createHarness({ policy: { codeLength: 8 } });
    const result = await h.verifier.start({ phone: '+1 415 555 2671' });
    expect(result).toEqual({
      ok: true,
      value: {
        phone: PHONE,
        status: 'pending',
        createdAt: h.clock.now(),
        expiresAt: new Date(h.clock.now().getTime() + 600_000),
        resendAt: new Date(h.clock.now().getTime() + 30_000),
        sendsRemaining: 4,
        attemptsRemaining: 5,
        sendAttempts: [{ channel: 'sms', provider: 'recording', time: h.clock.now() }],
      },
    });
    expect(h.sender.lastCode(PHONE)).toMatch(/^[0-9]{8}$/);
  });

  it('stores a keyed hash, never the code', async () => {
    const h = await createHarness();
    const code = await h.sendCode();
    const stored = await h.codes.get(PHONE, h.clock.now());
    expect(JSON.stringify(stored)).not.toContain(code);
  });

  it('saves the code before the SMS leaves', async () => {
    const h = await createHarness();
    let storedAtSend: unknown = 'not called';
    const send = h.sender.send.bind(h.sender);
    h.sender.send = async (message) => {
      storedAtSend = await h.codes.get(message.to, h.clock.now());
      return send(message);
    };
    await h.verifier.start({ phone: PHONE });
    expect(storedAtSend).toMatchObject({ phone: PHONE, attempts: 0, verified: false });
  });

  it('resends the same code while pending, keeping the verification, its attempts and its send time', async () => {
    const h = await createHarness({ policy: { resendCooldownSeconds: 0 } });
    const first = await h.sendCode();
    await h.verifier.check({ phone: PHONE, code: h.wrong(first) });
    const before = await h.codes.get(PHONE, h.clock.now());
    h.clock.advance(40);
    const again = await h.verifier.start({ phone: PHONE });
    expect(again).toMatchObject({
      ok: true,
      value: { attemptsRemaining: 4, createdAt: before!.createdAt, sendsRemaining: 3 },
    });
    expect(h.sender.lastCode(PHONE)).toBe(first);
    const after = await h.codes.get(PHONE, h.clock.now());
    expect(after).toMatchObject({ id: before!.id, attempts: 1, codeHash: before!.codeHash });
    expect(after?.sendAttempts?.map((a) => a.time.getTime() - before!.createdAt.getTime())).toEqual([0, 40_000]);
    // The code the person has works, whichever message brought it.
    expect(await h.verifier.check({ phone: PHONE, code: first })).toMatchObject({ ok: true });
  });

  it('starts a new verification with a new code after expiry, approval, a lock or a cancel', async () => {
    const h = await createHarness({ policy: { resendCooldownSeconds: 0, sendLimit: 100 } });
    const codes = [await h.sendCode()];
    h.clock.advance(600);
    codes.push(await h.sendCode());
    await h.verifier.check({ phone: PHONE, code: codes.at(-1)! });
    codes.push(await h.sendCode());
    for (let i = 0; i < 5; i++) await h.verifier.check({ phone: PHONE, code: h.wrong(codes.at(-1)!) });
    codes.push(await h.sendCode());
    await h.verifier.cancel(PHONE);
    codes.push(await h.sendCode());
    const ids = new Set(codes);
    expect(ids.size).toBe(codes.length);
    expect(await h.verifier.check({ phone: PHONE, code: codes.at(-1)! })).toMatchObject({ ok: true });
  });

  it('never keeps the plain code: the record holds its hash and a sealed copy, and the seal is gone at approval', async () => {
    const h = await createHarness();
    const code = await h.sendCode();
    const stored = await h.codes.get(PHONE, h.clock.now());
    expect(JSON.stringify(stored)).not.toContain(code);
    expect(stored?.codeSealed).toEqual(expect.any(String));
    await h.verifier.check({ phone: PHONE, code });
    expect((await h.codes.get(PHONE, h.clock.now()))?.codeSealed).toBeNull();
  });

  it('replaces an approval: verified is false until the new code is approved', async () => {
    const h = await createHarness({ policy: { resendCooldownSeconds: 0 } });
    await h.verifier.check({ phone: PHONE, code: await h.sendCode() });
    expect(await h.verifier.get(PHONE)).toMatchObject({ ok: true, value: { status: 'approved', verified: true } });
    const code = await h.sendCode();
    expect(await h.verifier.get(PHONE)).toMatchObject({ ok: true, value: { status: 'pending', verified: false } });
    await h.verifier.check({ phone: PHONE, code });
    expect(await h.verifier.get(PHONE)).toMatchObject({ ok: true, value: { verified: true } });
  });

  it('refuses invalid numbers (SMS_001) and numbers outside the allowed countries (SMS_010), sending nothing', async () => {
    const h = await createHarness({ policy: { allowedCountries: ['US'] } });
    expect(await h.verifier.start({ phone: '12' })).toMatchObject({ ok: false, error: { name: 'INVALID_PHONE' } });
    expect(await h.verifier.start({ phone: '+442079460018' })).toMatchObject({
      ok: false,
      error: { name: 'COUNTRY_NOT_ALLOWED' },
    });
    expect(h.sender.sent).toHaveLength(0);
  });
});

describe('number types (ALLOWED_NUMBER_TYPES)', () => {
  it('gives premium-rate, shared-cost, toll-free and UAN numbers no code: SMS_018, no provider call, nothing charged', async () => {
    const h = await createHarness({ policy: { sendLimit: 1 } });
    for (const [phone, numberType] of [
      ['+19005550100', 'premium_rate'],
      ['+18005550100', 'toll_free'],
      ['+448453334444', 'premium_rate'],
    ] as const) {
      expect(await h.verifier.start({ phone })).toMatchObject({
        ok: false,
        error: { name: 'NUMBER_TYPE_NOT_ALLOWED', extra: { numberType } },
      });
    }
    expect(h.sender.sent).toHaveLength(0);
    expect(h.events.filter((e) => e.type === 'number_type_refused')).toHaveLength(3);
    // Nothing charged: a mobile-or-fixed number in the same range still gets its one send.
    expect((await h.verifier.start({ phone: PHONE })).ok).toBe(true);
  });

  it('gives satellite and international-network numbers (non_geographic) and UK personal numbers no code by default', async () => {
    const h = await createHarness();
    for (const [phone, numberType] of [
      ['+870773123456', 'non_geographic'],
      ['+8816123456789', 'non_geographic'],
      ['+883510012345', 'non_geographic'],
      ['+447012345678', 'personal_number'],
    ] as const) {
      expect(await h.verifier.start({ phone })).toMatchObject({
        ok: false,
        error: { name: 'NUMBER_TYPE_NOT_ALLOWED', extra: { numberType } },
      });
    }
    expect(h.sender.sent).toHaveLength(0);
  });

  it('names countries or calling codes in ALLOWED_COUNTRIES and FRAUD_COUNTRY_RULES', async () => {
    const satellites = await createHarness({
      policy: {
        allowedNumberTypes: ['mobile', 'fixed_line_or_mobile', 'non_geographic'],
        fraud: { ...DEFAULT_FRAUD_POLICY, countryRules: new Map([['+881', 'block']]) },
      },
    });
    expect((await satellites.verifier.start({ phone: '+870773123456' })).ok).toBe(true);
    expect(await satellites.verifier.start({ phone: '+8816123456789' })).toMatchObject({
      error: { name: 'COUNTRY_NOT_ALLOWED' },
    });
    // +1 covers the US and Canada; a country's own rule wins over its code's.
    const northAmerica = await createHarness({
      policy: {
        allowedCountries: ['+1'],
        fraud: {
          ...DEFAULT_FRAUD_POLICY,
          countryRules: new Map([
            ['+1', 'block'],
            ['US', 'allow'],
          ]),
        },
      },
    });
    expect((await northAmerica.verifier.start({ phone: PHONE })).ok).toBe(true);
    expect(await northAmerica.verifier.start({ phone: '+16135550123' })).toMatchObject({
      error: { name: 'COUNTRY_NOT_ALLOWED', extra: { country: 'CA' } },
    });
    expect(await northAmerica.verifier.start({ phone: '+447911123456' })).toMatchObject({
      error: { name: 'COUNTRY_NOT_ALLOWED' },
    });
  });

  it('sends to a listed type when the operator allows it, and never holds TEST_CODES numbers to the list', async () => {
    const h = await createHarness({
      policy: {
        allowedNumberTypes: ['toll_free'],
        testCodes: new Map([['+15005550006', '123456']]),
      },
    });
    expect((await h.verifier.start({ phone: '+18005550100' })).ok).toBe(true);
    expect(await h.verifier.start({ phone: PHONE })).toMatchObject({
      ok: false,
      error: { name: 'NUMBER_TYPE_NOT_ALLOWED', extra: { numberType: 'fixed_line_or_mobile' } },
    });
    // +15005550006 is a personal number by the metadata: not listed, yet a test number.
    expect((await h.verifier.start({ phone: '+15005550006' })).ok).toBe(true);
  });
});

describe('send limits', () => {
  it('allows SEND_LIMIT sends per sliding window, then SMS_002 until the oldest leaves it', async () => {
    const h = await createHarness({ policy: { resendCooldownSeconds: 0, sendLimit: 5, sendWindowSeconds: 3600 } });
    for (let i = 0; i < 5; i++) {
      expect((await h.verifier.start({ phone: PHONE })).ok).toBe(true);
      h.clock.advance(60);
    }
    expect(await h.verifier.start({ phone: PHONE })).toMatchObject({
      ok: false,
      error: { name: 'RATE_LIMITED', extra: { retryAfter: 3300 } },
    });
    h.clock.advance(3299);
    expect((await h.verifier.start({ phone: PHONE })).ok).toBe(false);
    h.clock.advance(1);
    expect((await h.verifier.start({ phone: PHONE })).ok).toBe(true);
    expect(h.sender.sent).toHaveLength(6);
  });

  it('enforces RESEND_COOLDOWN_SECONDS between two sends', async () => {
    const h = await createHarness({ policy: { resendCooldownSeconds: 30 } });
    await h.sendCode();
    h.clock.advance(10);
    expect(await h.verifier.start({ phone: PHONE })).toMatchObject({
      ok: false,
      error: { name: 'RATE_LIMITED', extra: { retryAfter: 20 } },
    });
    h.clock.advance(20);
    expect((await h.verifier.start({ phone: PHONE })).ok).toBe(true);
  });

  it('charges no limit for a refused send', async () => {
    const h = await createHarness({ policy: { resendCooldownSeconds: 30, sendLimit: 2 } });
    await h.sendCode();
    for (let i = 0; i < 10; i++) expect((await h.verifier.start({ phone: PHONE })).ok).toBe(false);
    h.clock.advance(30);
    expect(await h.verifier.start({ phone: PHONE })).toMatchObject({ ok: true, value: { sendsRemaining: 0 } });
  });

  it('answers the longest wait when several limits refuse', async () => {
    const h = await createHarness({ policy: { resendCooldownSeconds: 30, ipSendLimit: 1, ipSendWindowSeconds: 900 } });
    await h.verifier.start({ phone: PHONE, ip: '203.0.113.7' });
    h.clock.advance(5);
    const result = await h.verifier.start({ phone: PHONE, ip: '203.0.113.7' });
    expect(result).toMatchObject({ ok: false, error: { extra: { retryAfter: 895 } } });
    expect(h.events.at(-1)).toMatchObject({ type: 'rate_limited', reasons: ['cooldown', 'ip'] });
  });

  it('limits sends per caller IP across phones', async () => {
    const h = await createHarness({ policy: { ipSendLimit: 3 } });
    const phones = ['+14155550101', '+12125550102', '+13125550103', '+16175550104'];
    const results = [];
    for (const phone of phones) results.push((await h.verifier.start({ phone, ip: '2001:db8::1' })).ok);
    expect(results).toEqual([true, true, true, false]);
    // IPv6 counts per /64: another address of the same /64 is the same caller.
    expect((await h.verifier.start({ phone: phones[3]!, ip: '2001:db8::2' })).ok).toBe(false);
    expect((await h.verifier.start({ phone: phones[3]!, ip: '2001:db8:0:1::1' })).ok).toBe(true);
  });

  it('limits sends per number prefix (all but the last four digits)', async () => {
    const h = await createHarness({ policy: { prefixSendLimit: 2 } });
    expect((await h.verifier.start({ phone: '+14155550101' })).ok).toBe(true);
    expect((await h.verifier.start({ phone: '+14155550102' })).ok).toBe(true);
    expect(await h.verifier.start({ phone: '+14155550103' })).toMatchObject({
      ok: false,
      error: { name: 'RATE_LIMITED' },
    });
    expect((await h.verifier.start({ phone: '+14155560103' })).ok).toBe(true);
    expect(h.events.find((e) => e.type === 'rate_limited')?.reasons).toEqual(['prefix']);
  });

  it('refuses sends past the daily budget without calling the provider, until the next UTC day', async () => {
    const h = await createHarness({ policy: { dailySendBudget: 2 } });
    h.clock.set(new Date('2026-03-01T23:00:00Z'));
    await h.verifier.start({ phone: '+14155550101' });
    await h.verifier.start({ phone: '+12125550102' });
    const over = await h.verifier.start({ phone: '+13125550103' });
    expect(over).toMatchObject({ ok: false, error: { name: 'RATE_LIMITED', extra: { retryAfter: 3600 } } });
    expect(h.sender.sent).toHaveLength(2);
    h.clock.set(new Date('2026-03-02T00:00:00Z'));
    expect((await h.verifier.start({ phone: '+13125550103' })).ok).toBe(true);
  });

  it('bounds wrong guesses per phone across resends to SEND_LIMIT x MAX_CHECK_ATTEMPTS per window', async () => {
    const h = await createHarness({ policy: { resendCooldownSeconds: 0 } });
    let wrongAnswers = 0;
    for (let send = 0; send < 20; send++) {
      const sent = await h.verifier.start({ phone: PHONE });
      for (let guess = 0; guess < 20; guess++) {
        const code = h.sender.lastCode(PHONE)!;
        const result = await h.verifier.check({ phone: PHONE, code: h.wrong(code) });
        if (!result.ok && result.error.name === 'WRONG_CODE') wrongAnswers++;
      }
      if (!sent.ok) break;
    }
    expect(wrongAnswers).toBe(25);
  });
});

describe('provider outcomes', () => {
  it('answers SMS_008 on a provider failure, charges nothing and starts no cooldown', async () => {
    const h = await createHarness({ policy: { resendCooldownSeconds: 30, sendLimit: 1 } });
    h.sender.failNext(refused);
    expect(await h.verifier.start({ phone: PHONE })).toMatchObject({ ok: false, error: { name: 'PROVIDER_FAILED' } });
    const retry = await h.verifier.start({ phone: PHONE });
    expect(retry).toMatchObject({ ok: true, value: { sendsRemaining: 0 } });
    expect(await h.verifier.check({ phone: PHONE, code: h.sender.lastCode(PHONE)! })).toMatchObject({ ok: true });
  });

  it('leaves the previous verification exactly as it was when no provider takes the message', async () => {
    for (const failure of [refused, destination]) {
      const h = await createHarness({ policy: { resendCooldownSeconds: 0 } });
      const first = await h.sendCode();
      await h.verifier.check({ phone: PHONE, code: h.wrong(first) });
      await h.verifier.check({ phone: PHONE, code: h.wrong(first) });
      const before = await h.codes.get(PHONE, h.clock.now());
      h.sender.failNext(failure);
      expect((await h.verifier.start({ phone: PHONE })).ok).toBe(false);
      expect(await h.codes.get(PHONE, h.clock.now())).toEqual(before);
      expect(await h.verifier.check({ phone: PHONE, code: h.wrong(first) })).toMatchObject({
        ok: false,
        error: { name: 'WRONG_CODE', extra: { attemptsRemaining: 2 } },
      });
      expect(await h.verifier.check({ phone: PHONE, code: first })).toMatchObject({ ok: true });
    }
  });

  it('keeps an approval when a later send fails, and leaves no verification where there was none', async () => {
    const h = await createHarness({ policy: { resendCooldownSeconds: 0 } });
    const code = await h.sendCode();
    await h.verifier.check({ phone: PHONE, code });
    h.sender.failNext(refused);
    await h.verifier.start({ phone: PHONE });
    expect(await h.verifier.get(PHONE)).toMatchObject({ ok: true, value: { status: 'approved', verified: true } });
    h.sender.failNext(refused);
    await h.verifier.start({ phone: '+14155550199' });
    expect(await h.codes.get('+14155550199', h.clock.now())).toBeNull();
  });

  it('keeps the new code when the provider timed out: its message may still arrive', async () => {
    const h = await createHarness({ policy: { resendCooldownSeconds: 0 } });
    await h.sendCode();
    const timedOut = {
      ok: false,
      reason: 'provider_failed',
      providerCode: 'timeout',
      detail: 'no answer',
      fate: 'unknown',
    } as const;
    let sentCode = '';
    const send = h.sender.send.bind(h.sender);
    h.sender.send = async (message) => {
      sentCode = /\b(\d{6})\b/.exec(message.text)![1]!;
      await send(message);
      return { ...timedOut, provider: 'recording' };
    };
    expect(await h.verifier.start({ phone: PHONE })).toMatchObject({ ok: false, error: { name: 'PROVIDER_FAILED' } });
    expect(await h.verifier.check({ phone: PHONE, code: sentCode })).toMatchObject({ ok: true });
  });

  it('takes at most MAX_CHECK_ATTEMPTS wrong guesses in 40 rounds of a failed send and 5 wrong checks', async () => {
    const h = await createHarness({ policy: { resendCooldownSeconds: 0 } });
    const code = await h.sendCode();
    let wrongAnswers = 0;
    for (let round = 0; round < 40; round++) {
      h.sender.failNext(refused);
      expect(await h.verifier.start({ phone: PHONE })).toMatchObject({ ok: false, error: { name: 'PROVIDER_FAILED' } });
      for (let guess = 0; guess < 5; guess++) {
        const result = await h.verifier.check({ phone: PHONE, code: h.wrong(code) });
        if (!result.ok && result.error.name === 'WRONG_CODE') wrongAnswers++;
      }
    }
    expect(wrongAnswers).toBe(5);
  });

  it('caps wrong guesses per phone at 25 a window even when the previous verification cannot be put back', async () => {
    const codes = createMemoryCodeStore();
    // A store that loses every restore: each failed send then leaves a fresh code with fresh attempts.
    const h = await createHarness({
      codes: {
        ...codes,
        restore: async () => Promise.reject(new StoreUnavailableError('test', { cause: new Error('down') })),
      },
      policy: { resendCooldownSeconds: 0 },
    });
    let wrongAnswers = 0;
    for (let round = 0; round < 40; round++) {
      h.sender.failNext(refused);
      await h.verifier.start({ phone: PHONE });
      for (let guess = 0; guess < 5; guess++) {
        const result = await h.verifier.check({ phone: PHONE, code: '000000' });
        if (!result.ok && result.error.name === 'WRONG_CODE') wrongAnswers++;
      }
    }
    // A put back is tried only where a send saved a new verification: after each lock (5 wrong
    // checks), until the guess window refuses checks before they are counted; from then on the
    // verification stays pending and each send is a resend of its code, which saves nothing.
    expect(h.events.filter((e) => e.type === 'restore_failed')).toHaveLength(6);
    expect(wrongAnswers).toBe(25);
    h.clock.advance(3600);
    h.sender.failNext(refused);
    await h.verifier.start({ phone: PHONE });
    expect(await h.verifier.check({ phone: PHONE, code: '000000' })).toMatchObject({ error: { name: 'WRONG_CODE' } });
  });

  it('answers SMS_007 when the provider refuses the destination, and charges it', async () => {
    const h = await createHarness({ policy: { resendCooldownSeconds: 30 } });
    h.sender.failNext(destination);
    expect(await h.verifier.start({ phone: PHONE })).toMatchObject({
      ok: false,
      error: { name: 'DESTINATION_REFUSED', extra: { providerCode: '21211' } },
    });
    expect(await h.verifier.start({ phone: PHONE })).toMatchObject({ ok: false, error: { name: 'RATE_LIMITED' } });
  });

  it('records the message id the provider gave, for delivery callbacks', async () => {
    const h = await createHarness();
    await h.sendCode();
    expect((await h.codes.get(PHONE, h.clock.now()))?.messageId).toMatch(/^SM/);
  });
});

describe('test codes', () => {
  const testCodes = new Map([['+15005550006', '123456']]);

  it('gives the fixed code with no SMS and no send limit, cooldown or budget', async () => {
    const h = await createHarness({
      policy: { testCodes, resendCooldownSeconds: 30, sendLimit: 1, dailySendBudget: 1 },
    });
    for (let i = 0; i < 5; i++) expect((await h.verifier.start({ phone: '+15005550006' })).ok).toBe(true);
    expect(h.sender.sent).toHaveLength(0);
    expect(await h.verifier.check({ phone: '+15005550006', code: '123456' })).toMatchObject({ ok: true });
  });

  it('bounds wrong guesses of a test number as tightly as a normal number: 25 an hour, whatever the resends', async () => {
    const h = await createHarness({ policy: { testCodes } });
    const phone = '+15005550006';
    const answers: string[] = [];
    for (let send = 0; send < 12; send++) {
      expect((await h.verifier.start({ phone })).ok).toBe(true);
      for (let guess = 0; guess < 5; guess++) {
        const result = await h.verifier.check({ phone, code: String(100000 + send * 5 + guess) });
        answers.push(result.ok ? 'approved' : result.error.name);
      }
      h.clock.advance(60);
    }
    expect(answers.filter((a) => a === 'WRONG_CODE')).toHaveLength(25);
    // Refused before the code is compared: even the right code, until the oldest guess leaves the window.
    await h.verifier.start({ phone });
    expect(await h.verifier.check({ phone, code: '123456' })).toMatchObject({
      ok: false,
      error: { name: 'TOO_MANY_ATTEMPTS', extra: { retryAfter: expect.any(Number) } },
    });
    h.clock.advance(3600);
    await h.verifier.start({ phone });
    expect(await h.verifier.check({ phone, code: '123456' })).toMatchObject({ ok: true });
  });

  it('does not count right checks of a test number against its guesses', async () => {
    const h = await createHarness({ policy: { testCodes, sendLimit: 1, maxCheckAttempts: 1 } });
    for (let i = 0; i < 10; i++) {
      await h.verifier.start({ phone: '+15005550006' });
      expect(await h.verifier.check({ phone: '+15005550006', code: '123456' })).toMatchObject({ ok: true });
    }
  });

  it('still applies expiry, attempts and single use', async () => {
    const h = await createHarness({ policy: { testCodes } });
    await h.verifier.start({ phone: '+15005550006' });
    h.clock.advance(600);
    expect(await h.verifier.check({ phone: '+15005550006', code: '123456' })).toMatchObject({
      ok: false,
      error: { name: 'CODE_EXPIRED' },
    });
    await h.verifier.start({ phone: '+15005550006' });
    for (let i = 0; i < 5; i++) await h.verifier.check({ phone: '+15005550006', code: '999999' });
    expect(await h.verifier.check({ phone: '+15005550006', code: '123456' })).toMatchObject({
      ok: false,
      error: { name: 'TOO_MANY_ATTEMPTS' },
    });
    await h.verifier.start({ phone: '+15005550006' });
    expect((await h.verifier.check({ phone: '+15005550006', code: '123456' })).ok).toBe(true);
    expect(await h.verifier.check({ phone: '+15005550006', code: '123456' })).toMatchObject({
      ok: false,
      error: { name: 'NOT_FOUND' },
    });
  });
});

describe('store outages', () => {
  it('answers SMS_009 and takes back the charge when the code cannot be saved', async () => {
    const codes = createMemoryCodeStore();
    const limits = createMemorySendLimitStore();
    const h = await createHarness({ codes, limits, policy: { sendLimit: 1 } });
    const put = codes.put;
    codes.put = async () => {
      throw new StoreUnavailableError('test', { cause: new Error('connection refused') });
    };
    const result = await h.verifier.start({ phone: PHONE });
    expect(result).toMatchObject({ ok: false, error: { name: 'STORE_UNAVAILABLE' } });
    expect(h.sender.sent).toHaveLength(0);
    codes.put = put;
    expect((await h.verifier.start({ phone: PHONE })).ok).toBe(true);
  });

  it('answers SMS_008, not SMS_009, when the provider failed and the refund then fails; the failed refund is reported', async () => {
    const h = await createHarness();
    h.limits.refund = async () => {
      throw new StoreUnavailableError('test', { cause: new Error('down') });
    };
    h.sender.failNext({ ok: false, reason: 'provider_failed', providerCode: '503', detail: 'provider down' });
    expect(await h.verifier.start({ phone: PHONE })).toMatchObject({ ok: false, error: { name: 'PROVIDER_FAILED' } });
    expect(h.events.map((e) => e.type)).toEqual(['refund_failed', 'provider_failed']);
  });

  it('reports a refund that fails after the code could not be saved, and still answers SMS_009', async () => {
    const h = await createHarness();
    const down = () => {
      throw new StoreUnavailableError('test', { cause: new Error('down') });
    };
    h.codes.put = async () => down();
    h.limits.refund = async () => down();
    expect(await h.verifier.start({ phone: PHONE })).toMatchObject({ ok: false, error: { name: 'STORE_UNAVAILABLE' } });
    expect(h.events.map((e) => e.type)).toEqual(['refund_failed']);
  });

  it('still answers 201 when only recording the message id fails: the SMS is already out', async () => {
    const h = await createHarness();
    h.codes.recordSend = async () => {
      throw new StoreUnavailableError('test', { cause: new Error('down') });
    };
    expect(await h.verifier.start({ phone: PHONE })).toMatchObject({ ok: true });
    expect((await h.verifier.check({ phone: PHONE, code: h.sender.lastCode(PHONE)! })).ok).toBe(true);
  });

  it('lets an unexpected error through as a bug, not as a store outage', async () => {
    const h = await createHarness();
    h.codes.get = async () => {
      throw new TypeError('bug');
    };
    await expect(h.verifier.get(PHONE)).rejects.toThrow(TypeError);
  });
});

describe('concurrency', () => {
  it('admits exactly SEND_LIMIT of 50 parallel sends to one phone (cooldown 0)', async () => {
    const h = await createHarness({ policy: { resendCooldownSeconds: 0 } });
    const results = await Promise.all(Array.from({ length: 50 }, () => h.verifier.start({ phone: PHONE })));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(results.filter((r) => !r.ok && r.error.name === 'RATE_LIMITED')).toHaveLength(45);
  });
});

describe('channels', () => {
  it('reads the code out digit by digit, twice, on a call, and sends it again on another channel', async () => {
    const h = await createHarness({ policy: { resendCooldownSeconds: 0 } });
    expect((await h.verifier.start({ phone: PHONE, channel: 'sms' })).ok).toBe(true);
    const code = h.sender.lastCode(PHONE)!;
    const call = await h.verifier.start({ phone: PHONE, channel: 'call' });
    expect(call).toMatchObject({ ok: true, value: { sendAttempts: [{ channel: 'sms' }, { channel: 'call' }] } });
    const spoken = h.sender.sent.at(-1)!;
    const digits = [...code].join(', ');
    expect(spoken).toMatchObject({ channel: 'call', code });
    expect(spoken.text).toBe(`Your sms-verify code is: ${digits}. Again, your code is: ${digits}.`);
    expect(await h.verifier.check({ phone: PHONE, code })).toMatchObject({ ok: true });
  });

  it('refuses a channel no provider sends, or the service leaves out, with SMS_020, charging nothing', async () => {
    const h = await createHarness({ policy: { sendLimit: 1, channels: ['sms', 'call'] } });
    Object.assign(h.sender, { channels: ['sms', 'call'] });
    expect(await h.verifier.start({ phone: PHONE, channel: 'whatsapp' })).toMatchObject({
      ok: false,
      error: { name: 'CHANNEL_UNAVAILABLE', extra: { channel: 'whatsapp', available: ['sms', 'call'] } },
    });
    const only = await createHarness({ policy: { channels: ['sms'] } });
    expect(await only.verifier.start({ phone: PHONE, channel: 'call' })).toMatchObject({
      ok: false,
      error: { name: 'CHANNEL_UNAVAILABLE', extra: { available: ['sms'] } },
    });
    // Nothing was charged: the one send the limit allows still goes.
    expect((await h.verifier.start({ phone: PHONE })).ok).toBe(true);
    expect(h.sender.sent).toHaveLength(1);
  });

  it("speaks the number's country's language when the send names none, else the service's", async () => {
    const h = await createHarness();
    await h.verifier.start({ phone: '+5511912345678' });
    expect(h.sender.sent.at(-1)).toMatchObject({ locale: 'pt' });
    expect(h.sender.sent.at(-1)!.text).toMatch(/^Seu codigo sms-verify e \d{6}\./);
    await h.verifier.start({ phone: '+5511912345679', locale: 'en' });
    expect(h.sender.sent.at(-1)!.text).toMatch(/^Your sms-verify code is/);
    await h.verifier.start({ phone: PHONE });
    expect(h.sender.sent.at(-1)!.text).toMatch(/^Your sms-verify code is/);
  });
});
