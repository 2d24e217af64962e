// SPEC section 1, checking: the order of the rules, attempts, single use, retention, races.
import { describe, expect, it } from 'vitest';
import { createMemoryCodeStore } from '../../src/adapters/keyed-stores/memory-code-store.ts';
import type { CodeStore } from '../../src/ports/code-store.ts';
import { createHarness, PHONE } from '../support/harness.ts';

describe('checking a code', () => {
  it('approves the right code once; any check after it finds no pending verification', async () => {
    const h = await createHarness();
    const code = await h.sendCode();
    h.clock.advance(5);
    expect(await h.verifier.check({ phone: PHONE, code })).toEqual({
      ok: true,
      value: { phone: PHONE, status: 'approved', verifiedAt: h.clock.now() },
    });
    expect(await h.verifier.check({ phone: PHONE, code })).toMatchObject({ ok: false, error: { name: 'NOT_FOUND' } });
    expect(await h.verifier.check({ phone: PHONE, code: h.wrong(code) })).toMatchObject({
      ok: false,
      error: { name: 'NOT_FOUND' },
    });
  });

  it('reads a national number in the given country', async () => {
    const h = await createHarness();
    const code = await h.sendCode();
    expect((await h.verifier.check({ phone: '(415) 555-2671', country: 'US', code })).ok).toBe(true);
  });

  it('answers SMS_006 when nothing was sent', async () => {
    const h = await createHarness();
    expect(await h.verifier.check({ phone: PHONE, code: '123456' })).toMatchObject({
      ok: false,
      error: { name: 'NOT_FOUND' },
    });
  });

  it('counts wrong codes down to 0, then refuses even the right code (SMS_005)', async () => {
    const h = await createHarness();
    const code = await h.sendCode();
    const remaining = [];
    for (let i = 0; i < 5; i++) {
      const result = await h.verifier.check({ phone: PHONE, code: h.wrong(code) });
      expect(result).toMatchObject({ ok: false, error: { name: 'WRONG_CODE' } });
      if (!result.ok) remaining.push(result.error.extra?.['attemptsRemaining']);
    }
    expect(remaining).toEqual([4, 3, 2, 1, 0]);
    expect(await h.verifier.check({ phone: PHONE, code })).toMatchObject({
      ok: false,
      error: { name: 'TOO_MANY_ATTEMPTS' },
    });
    expect(await h.verifier.check({ phone: PHONE, code: h.wrong(code) })).toMatchObject({
      ok: false,
      error: { name: 'TOO_MANY_ATTEMPTS' },
    });
    expect(h.events.filter((e) => e.type === 'wrong_code')).toHaveLength(5);
    expect(h.events.filter((e) => e.type === 'lockout')).toHaveLength(1);
    expect(h.events.filter((e) => e.type === 'locked')).toHaveLength(2);
  });

  it('honours MAX_CHECK_ATTEMPTS', async () => {
    const h = await createHarness({ policy: { maxCheckAttempts: 2 } });
    const code = await h.sendCode();
    await h.verifier.check({ phone: PHONE, code: h.wrong(code) });
    expect(await h.verifier.check({ phone: PHONE, code: h.wrong(code) })).toMatchObject({
      error: { extra: { attemptsRemaining: 0 } },
    });
    expect(await h.verifier.check({ phone: PHONE, code })).toMatchObject({
      ok: false,
      error: { name: 'TOO_MANY_ATTEMPTS' },
    });
  });

  it('does not count a malformed code (SMS_000)', async () => {
    const h = await createHarness();
    const code = await h.sendCode();
    for (const bad of ['123', 'abcdef', '12345678901', '']) {
      expect(await h.verifier.check({ phone: PHONE, code: bad })).toMatchObject({
        ok: false,
        error: { name: 'MALFORMED_REQUEST' },
      });
    }
    expect(await h.verifier.get(PHONE)).toMatchObject({ ok: true, value: { attemptsRemaining: 5 } });
    expect((await h.verifier.check({ phone: PHONE, code })).ok).toBe(true);
  });

  it('expires the code after CODE_TTL_SECONDS, enforced on read', async () => {
    const h = await createHarness({ policy: { codeTtlSeconds: 120 } });
    const code = await h.sendCode();
    h.clock.advance(119.999);
    const stillStored = await h.codes.get(PHONE, h.clock.now());
    h.clock.advance(0.001);
    expect(await h.verifier.check({ phone: PHONE, code })).toMatchObject({
      ok: false,
      error: { name: 'CODE_EXPIRED' },
    });
    expect(stillStored).not.toBeNull();
  });

  it('answers expiry before a lock', async () => {
    const h = await createHarness();
    const code = await h.sendCode();
    for (let i = 0; i < 5; i++) await h.verifier.check({ phone: PHONE, code: h.wrong(code) });
    h.clock.advance(600);
    expect(await h.verifier.check({ phone: PHONE, code })).toMatchObject({
      ok: false,
      error: { name: 'CODE_EXPIRED' },
    });
    expect(await h.verifier.get(PHONE)).toMatchObject({ ok: true, value: { status: 'expired' } });
  });

  it('accepts a code signed with a retired secret that is still listed', async () => {
    const before = await createHarness({ secrets: ['old-secret-0123456789'] });
    const code = await before.sendCode();
    const after = await createHarness({
      secrets: ['new-secret-0123456789', 'old-secret-0123456789'],
      codes: before.codes,
    });
    after.clock.set(before.clock.now());
    expect((await after.verifier.check({ phone: PHONE, code })).ok).toBe(true);
  });
});

describe('status and cancellation', () => {
  it('shows pending, then locked, with attempts remaining and the delivery the provider took', async () => {
    const h = await createHarness();
    const code = await h.sendCode();
    expect(await h.verifier.get(PHONE)).toEqual({
      ok: true,
      value: {
        phone: PHONE,
        status: 'pending',
        verified: false,
        createdAt: h.clock.now(),
        expiresAt: new Date(h.clock.now().getTime() + 600_000),
        verifiedAt: null,
        attemptsRemaining: 5,
        delivery: { status: 'queued', updatedAt: h.clock.now(), provider: 'recording' },
        sendAttempts: [{ channel: 'sms', provider: 'recording', time: h.clock.now() }],
      },
    });
    for (let i = 0; i < 5; i++) await h.verifier.check({ phone: PHONE, code: h.wrong(code) });
    expect(await h.verifier.get(PHONE)).toMatchObject({ ok: true, value: { status: 'locked', attemptsRemaining: 0 } });
  });

  it('keeps an expired verification for RETENTION_SECONDS, then forgets it', async () => {
    const h = await createHarness({ policy: { codeTtlSeconds: 60, retentionSeconds: 300 } });
    const code = await h.sendCode();
    h.clock.advance(359);
    expect(await h.verifier.get(PHONE)).toMatchObject({ ok: true, value: { status: 'expired' } });
    expect(await h.verifier.check({ phone: PHONE, code })).toMatchObject({
      ok: false,
      error: { name: 'CODE_EXPIRED' },
    });
    h.clock.advance(1);
    expect(await h.verifier.get(PHONE)).toMatchObject({ ok: false, error: { name: 'NOT_FOUND' } });
    expect(await h.verifier.check({ phone: PHONE, code })).toMatchObject({ ok: false, error: { name: 'NOT_FOUND' } });
  });

  it('counts the phone as verified for VERIFIED_TTL_SECONDS after approval, then forgets it', async () => {
    const h = await createHarness({ policy: { verifiedTtlSeconds: 3600 } });
    await h.verifier.check({ phone: PHONE, code: await h.sendCode() });
    const verifiedAt = h.clock.now();
    h.clock.advance(3599);
    expect(await h.verifier.get(PHONE)).toMatchObject({
      ok: true,
      value: { status: 'approved', verified: true, verifiedAt },
    });
    h.clock.advance(1);
    expect(await h.verifier.get(PHONE)).toMatchObject({ ok: false, error: { name: 'NOT_FOUND' } });
  });

  it('cancels: the code can no longer be approved, and GET and check answer SMS_006', async () => {
    const h = await createHarness();
    const code = await h.sendCode();
    expect(await h.verifier.cancel(PHONE)).toEqual({ ok: true, value: null });
    expect(await h.verifier.get(PHONE)).toMatchObject({ ok: false, error: { name: 'NOT_FOUND' } });
    expect(await h.verifier.check({ phone: PHONE, code })).toMatchObject({ ok: false, error: { name: 'NOT_FOUND' } });
    expect(await h.verifier.cancel(PHONE)).toMatchObject({ ok: false, error: { name: 'NOT_FOUND' } });
  });

  it('cancels by send time only the send that was read, even when a new send lands between read and delete', async () => {
    const memory = createMemoryCodeStore();
    let landBetween: (() => Promise<void>) | null = null;
    const codes: CodeStore = {
      ...memory,
      get: async (phone, now) => {
        const record = await memory.get(phone, now);
        const land = landBetween;
        landBetween = null;
        await land?.();
        return record;
      },
    };
    const h = await createHarness({ codes, policy: { resendCooldownSeconds: 0 } });
    await h.sendCode();
    const first = await h.verifier.get(PHONE);
    if (!first.ok) throw new Error('no verification');
    // A stale send time: the newer send (after the first expired) is left alone.
    h.clock.advance(600);
    await h.sendCode();
    expect(await h.verifier.cancel(PHONE, first.value.createdAt)).toMatchObject({
      ok: false,
      error: { name: 'NOT_FOUND' },
    });
    // The send read is current, but another lands before the delete: it stays, and can be approved.
    const current = await h.verifier.get(PHONE);
    if (!current.ok) throw new Error('no verification');
    h.clock.advance(600);
    let newest = '';
    landBetween = async () => {
      newest = await h.sendCode();
    };
    expect(await h.verifier.cancel(PHONE, current.value.createdAt)).toMatchObject({
      ok: false,
      error: { name: 'NOT_FOUND' },
    });
    const left = await h.verifier.get(PHONE);
    expect(left.ok && left.value.createdAt.getTime()).toBe(current.value.createdAt.getTime() + 600_000);
    expect(await h.verifier.check({ phone: PHONE, code: newest })).toMatchObject({ ok: true });
  });
});

describe('concurrency', () => {
  it('approves exactly once under 50 parallel checks of the right code', async () => {
    const h = await createHarness();
    const code = await h.sendCode();
    const results = await Promise.all(Array.from({ length: 50 }, () => h.verifier.check({ phone: PHONE, code })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    // The others find it approved, or find the phone's guess window held by the racing checks
    // (each is charged before its code is compared); none is counted as a wrong guess.
    const refused = results.filter((r) => !r.ok && ['NOT_FOUND', 'TOO_MANY_ATTEMPTS'].includes(r.error.name));
    expect(refused).toHaveLength(49);
    expect(await h.verifier.check({ phone: PHONE, code })).toMatchObject({ ok: false, error: { name: 'NOT_FOUND' } });
  });

  it('answers exactly MAX_CHECK_ATTEMPTS wrong codes under 50 parallel wrong checks, the rest SMS_005', async () => {
    const h = await createHarness();
    const code = await h.sendCode();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => h.verifier.check({ phone: PHONE, code: h.wrong(code) })),
    );
    const names = results.map((r) => (r.ok ? 'ok' : r.error.name));
    expect(names.filter((n) => n === 'WRONG_CODE')).toHaveLength(5);
    expect(names.filter((n) => n === 'TOO_MANY_ATTEMPTS')).toHaveLength(45);
    expect(await h.verifier.get(PHONE)).toMatchObject({ ok: true, value: { attemptsRemaining: 0, status: 'locked' } });
  });
});
