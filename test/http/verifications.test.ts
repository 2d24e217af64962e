// The /v1 routes through app.request(): bodies, statuses and problem+json for every error code.
import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../src/ports/store-unavailable.ts';
import { createHarness, PHONE } from '../support/harness.ts';
import { call, phonePath } from '../support/http.ts';

describe('send, check, status, cancel', () => {
  it('walks the whole flow with JSON in and out', async () => {
    const h = await createHarness();
    const sent = await call(h.app, 'POST', '/v1/verifications', { phone: '+1 415 555 2671' });
    expect(sent.status).toBe(201);
    expect(sent.body).toEqual({
      phone: PHONE,
      status: 'pending',
      createdAt: '2026-03-01T12:00:00.000Z',
      expiresAt: '2026-03-01T12:10:00.000Z',
      resendAt: '2026-03-01T12:00:30.000Z',
      sendsRemaining: 4,
      attemptsRemaining: 5,
      sendAttempts: [{ channel: 'sms', provider: 'recording', time: '2026-03-01T12:00:00.000Z' }],
    });
    const pending = await call(h.app, 'GET', phonePath(PHONE));
    expect(pending.status).toBe(200);
    expect(pending.body).toMatchObject({
      phone: PHONE,
      status: 'pending',
      verified: false,
      verifiedAt: null,
      attemptsRemaining: 5,
      delivery: { status: 'queued' },
    });

    h.clock.advance(20);
    const checked = await call(h.app, 'POST', '/v1/verifications/check', {
      phone: PHONE,
      code: h.sender.lastCode(PHONE),
    });
    expect(checked).toMatchObject({
      status: 200,
      body: { phone: PHONE, status: 'approved', verifiedAt: '2026-03-01T12:00:20.000Z' },
    });
    expect((await call(h.app, 'GET', phonePath(PHONE))).body).toMatchObject({ status: 'approved', verified: true });

    expect((await call(h.app, 'DELETE', phonePath(PHONE))).status).toBe(204);
    expect((await call(h.app, 'GET', phonePath(PHONE))).body).toMatchObject({ status: 404, code: 'SMS_006' });
  });

  it('reads the phone in the path URL-encoded, or as typed', async () => {
    const h = await createHarness();
    await h.sendCode();
    expect((await call(h.app, 'GET', '/v1/verifications/%2B14155552671')).status).toBe(200);
    expect((await call(h.app, 'GET', '/v1/verifications/+14155552671')).status).toBe(200);
  });
});

describe('errors are problem+json with stable codes', () => {
  const expectProblem = (res: Awaited<ReturnType<typeof call>>, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body).toMatchObject({ status, code, type: `urn:sms-verify:error:${code}` });
    expect(typeof res.body.title).toBe('string');
    expect(typeof res.body.detail).toBe('string');
    expect(res.body.requestId).toBe(res.headers.get('x-request-id'));
  };

  it('SMS_000 for bad JSON, a non-JSON body, wrong types, unknown and missing fields, listing them', async () => {
    const h = await createHarness();
    expectProblem(await call(h.app, 'POST', '/v1/verifications', '{"phone":'), 400, 'SMS_000');
    expectProblem(
      await call(h.app, 'POST', '/v1/verifications', 'phone=1', {
        'Content-Type': 'application/x-www-form-urlencoded',
      }),
      400,
      'SMS_000',
    );
    const wrongType = await call(h.app, 'POST', '/v1/verifications', { phone: 14155552671 });
    expectProblem(wrongType, 400, 'SMS_000');
    expect(wrongType.body.fields).toEqual(['phone']);
    const several = await call(h.app, 'POST', '/v1/verifications/check', {
      phone: { $gt: '' },
      code: '12',
      admin: true,
    });
    expect(several.body.fields.sort()).toEqual(['admin', 'code', 'phone']);
    const missing = await call(h.app, 'POST', '/v1/verifications/check', {});
    expect(missing.body.fields.sort()).toEqual(['code', 'phone']);
    expect(missing.body.detail).toContain('phone: is required');
    expectProblem(await call(h.app, 'POST', '/v1/verifications', { phone: PHONE, ip: 'not-an-ip' }), 400, 'SMS_000');
    expectProblem(await call(h.app, 'POST', '/v1/verifications', { phone: PHONE, country: 'USA' }), 400, 'SMS_000');
    expectProblem(await call(h.app, 'POST', '/v1/verifications', [PHONE]), 400, 'SMS_000');
    for (const body of ['null', '"x"', '123', '[]']) {
      const notObject = await call(h.app, 'POST', '/v1/verifications', body);
      expectProblem(notObject, 400, 'SMS_000');
      expect(notObject.body.detail, body).toMatch(/^\(body\): must be a JSON object, not /);
    }
    expect(h.sender.sent).toHaveLength(0);
  });

  it('SMS_000 for a code that is not 4 to 10 digits, and it is not counted', async () => {
    const h = await createHarness();
    await h.sendCode();
    expectProblem(await call(h.app, 'POST', '/v1/verifications/check', { phone: PHONE, code: '12ab' }), 400, 'SMS_000');
    expectProblem(await call(h.app, 'POST', '/v1/verifications/check', { phone: PHONE, code: 123456 }), 400, 'SMS_000');
    expect((await call(h.app, 'GET', phonePath(PHONE))).body.attemptsRemaining).toBe(5);
  });

  it('SMS_001 for an invalid phone, in bodies and paths', async () => {
    const h = await createHarness();
    expectProblem(await call(h.app, 'POST', '/v1/verifications', { phone: 'hello' }), 400, 'SMS_001');
    expectProblem(
      await call(h.app, 'POST', '/v1/verifications/check', { phone: '+1', code: '123456' }),
      400,
      'SMS_001',
    );
    expectProblem(await call(h.app, 'GET', phonePath('12')), 400, 'SMS_001');
    expectProblem(await call(h.app, 'DELETE', phonePath('12')), 400, 'SMS_001');
  });

  it('SMS_002 with Retry-After and retryAfter', async () => {
    const h = await createHarness();
    await call(h.app, 'POST', '/v1/verifications', { phone: PHONE });
    h.clock.advance(12);
    const res = await call(h.app, 'POST', '/v1/verifications', { phone: PHONE });
    expectProblem(res, 429, 'SMS_002');
    expect(res.headers.get('retry-after')).toBe('18');
    expect(res.body.retryAfter).toBe(18);
  });

  it('SMS_003, SMS_004 with attemptsRemaining, SMS_005 and SMS_006', async () => {
    const h = await createHarness();
    const code = await h.sendCode();
    const wrong = await call(h.app, 'POST', '/v1/verifications/check', { phone: PHONE, code: h.wrong(code) });
    expectProblem(wrong, 422, 'SMS_004');
    expect(wrong.body.attemptsRemaining).toBe(4);
    for (let i = 0; i < 4; i++)
      await call(h.app, 'POST', '/v1/verifications/check', { phone: PHONE, code: h.wrong(code) });
    const locked = await call(h.app, 'POST', '/v1/verifications/check', { phone: PHONE, code });
    expectProblem(locked, 429, 'SMS_005');
    expect(locked.headers.get('retry-after')).toBeNull();
    h.clock.advance(600);
    expectProblem(await call(h.app, 'POST', '/v1/verifications/check', { phone: PHONE, code }), 410, 'SMS_003');
    expectProblem(
      await call(h.app, 'POST', '/v1/verifications/check', { phone: '+12125550123', code }),
      404,
      'SMS_006',
    );
    expectProblem(await call(h.app, 'DELETE', phonePath('+12125550123')), 404, 'SMS_006');
  });

  it('SMS_007 and SMS_008 from the provider', async () => {
    const h = await createHarness();
    h.sender.failNext({
      ok: false,
      reason: 'destination_refused',
      providerCode: '21614',
      detail: 'The number cannot receive SMS.',
    });
    const refused = await call(h.app, 'POST', '/v1/verifications', { phone: PHONE });
    expectProblem(refused, 422, 'SMS_007');
    expect(refused.body.providerCode).toBe('21614');
    h.sender.failNext({ ok: false, reason: 'provider_failed', detail: 'timeout' });
    expectProblem(await call(h.app, 'POST', '/v1/verifications', { phone: '+12125550123' }), 502, 'SMS_008');
  });

  it('SMS_009 when a store is down, with no internals in the body', async () => {
    const h = await createHarness();
    h.codes.get = async () => {
      throw new StoreUnavailableError('mongodb', { cause: new Error('connect ECONNREFUSED 127.0.0.1:27017') });
    };
    const res = await call(h.app, 'GET', phonePath(PHONE));
    expectProblem(res, 503, 'SMS_009');
    expect(JSON.stringify(res.body)).not.toContain('ECONNREFUSED');
  });

  it('SMS_010 for a country that is not allowed', async () => {
    const h = await createHarness({ policy: { allowedCountries: ['US'] } });
    const res = await call(h.app, 'POST', '/v1/verifications', { phone: '+442079460018' });
    expectProblem(res, 403, 'SMS_010');
    expect(res.body.country).toBe('GB');
  });

  it('SMS_018 with the numberType for a premium-rate number', async () => {
    const h = await createHarness();
    const res = await call(h.app, 'POST', '/v1/verifications', { phone: '+1 900 555 0100' });
    expectProblem(res, 403, 'SMS_018');
    expect(res.body).toMatchObject({ numberType: 'premium_rate' });
  });

  it('SMS_012 for a body over 16 KiB, with or without Content-Length', async () => {
    const h = await createHarness();
    const big = JSON.stringify({ phone: PHONE, pad: 'x'.repeat(16 * 1024) });
    expectProblem(await call(h.app, 'POST', '/v1/verifications', big), 413, 'SMS_012');
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(1024)));
        controller.close();
      },
    });
    const res = await h.app.request('http://localhost/v1/verifications', {
      method: 'POST',
      body: stream,
      headers: { 'Content-Type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { code: string }).code).toBe('SMS_012');
  });

  it('SMS_014 for no such route (404) and a method not allowed (405, with Allow)', async () => {
    const h = await createHarness();
    expectProblem(await call(h.app, 'GET', '/v2/nothing'), 404, 'SMS_014');
    const wrongMethod = await call(h.app, 'PUT', '/v1/verifications', { phone: PHONE });
    expectProblem(wrongMethod, 405, 'SMS_014');
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect((await call(h.app, 'POST', phonePath(PHONE), {})).headers.get('allow')).toBe('GET, DELETE');
    const readCheck = await call(h.app, 'GET', '/v1/verifications/check');
    expectProblem(readCheck, 405, 'SMS_014');
    expect(readCheck.headers.get('allow')).toBe('POST');
    expect((await call(h.app, 'DELETE', '/v1/verifications/check')).status).toBe(405);
  });

  it('SMS_099 for an unexpected error, logged with the request id, with no internals in the body', async () => {
    const logged: Record<string, unknown>[] = [];
    const logger = { info() {}, warn() {}, error: (fields: Record<string, unknown>) => void logged.push(fields) };
    const h = await createHarness({ app: { logger } });
    h.codes.get = async () => {
      throw new TypeError('secret internals');
    };
    const res = await call(h.app, 'GET', phonePath(PHONE), undefined, { 'X-Request-Id': 'trace-123' });
    expectProblem(res, 500, 'SMS_099');
    expect(JSON.stringify(res.body)).not.toContain('internals');
    expect(logged).toMatchObject([{ requestId: 'trace-123', error: { message: 'secret internals' } }]);
  });
});

describe('the per-IP limit counts addresses, not spellings', () => {
  const phones = Array.from({ length: 40 }, (_, i) => `+1415555${String(2000 + i)}`);

  it('refuses every notation of an IPv4 address once it has used its sends', async () => {
    const h = await createHarness({ policy: { ipSendLimit: 2, prefixSendLimit: 100 } });
    const send = (phone: string, ip: string) => call(h.app, 'POST', '/v1/verifications', { phone, ip });
    expect((await send(phones[0]!, '198.51.100.9')).status).toBe(201);
    expect((await send(phones[1]!, '0:0:0:0:0:ffff:198.51.100.9')).status).toBe(201);
    for (const [i, ip] of [
      '198.51.100.9',
      '::ffff:198.51.100.9',
      '::ffff:c633:6409',
      '::FFFF:198.51.100.9',
    ].entries()) {
      expect((await send(phones[2 + i]!, ip)).body.code, ip).toBe('SMS_002');
    }
  });

  it('counts IPv6 per /64 and every spelling of one address as one', async () => {
    const h = await createHarness({ policy: { ipSendLimit: 20, prefixSendLimit: 100 } });
    const statuses = [];
    for (let i = 0; i < 30; i++) {
      const ip =
        i % 2 ? `2001:DB8:1:0:${i.toString(16)}::1` : `2001:0db8:0001:0000:0000:0000:0000:${(i + 1).toString(16)}`;
      statuses.push((await call(h.app, 'POST', '/v1/verifications', { phone: phones[i]!, ip })).status);
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.slice(20)).toEqual(Array(10).fill(429));
    expect((await call(h.app, 'POST', '/v1/verifications', { phone: phones[35]!, ip: '2001:db8:2::1' })).status).toBe(
      201,
    );
  });
});

describe('request ids and health', () => {
  it('gives every response an X-Request-Id, keeping a valid one from the request', async () => {
    const h = await createHarness();
    const given = await call(h.app, 'GET', '/healthz', undefined, { 'X-Request-Id': 'abc-123' });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const made = await call(h.app, 'GET', '/nowhere');
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const unsafe = await call(h.app, 'GET', '/healthz', undefined, { 'X-Request-Id': 'a b<script>' });
    expect(unsafe.headers.get('x-request-id')).not.toContain('<');
  });

  it('answers /healthz while running and /readyz by the stores', async () => {
    let up = true;
    const h = await createHarness({ app: { ready: async () => up } });
    expect((await call(h.app, 'GET', '/healthz')).status).toBe(200);
    expect((await call(h.app, 'GET', '/readyz')).status).toBe(200);
    up = false;
    expect((await call(h.app, 'GET', '/readyz')).status).toBe(503);
    expect((await call(h.app, 'GET', '/healthz')).status).toBe(200);
  });
});

describe('races through HTTP', () => {
  it('50 parallel sends to one phone: exactly SEND_LIMIT pass, the rest SMS_002, never 500', async () => {
    const h = await createHarness({ policy: { resendCooldownSeconds: 0 } });
    const results = await Promise.all(
      Array.from({ length: 50 }, () => call(h.app, 'POST', '/v1/verifications', { phone: PHONE })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    expect(results.filter((r) => r.status === 429 && r.body.code === 'SMS_002')).toHaveLength(45);
  });

  it('50 parallel checks of the right code approve once', async () => {
    const h = await createHarness();
    const code = await h.sendCode();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => call(h.app, 'POST', '/v1/verifications/check', { phone: PHONE, code })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    // The rest: approved already (404), or the phone's guess window held by the racing checks (429).
    const refused = results.filter((r) => r.status === 404 || (r.status === 429 && r.body.code === 'SMS_005'));
    expect(refused).toHaveLength(49);
  });

  it('50 parallel wrong checks: exactly 5 answered 422, the counter exactly at the cap', async () => {
    const h = await createHarness();
    const code = await h.sendCode();
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        call(h.app, 'POST', '/v1/verifications/check', { phone: PHONE, code: h.wrong(code) }),
      ),
    );
    expect(results.filter((r) => r.status === 422)).toHaveLength(5);
    expect(results.filter((r) => r.status === 429 && r.body.code === 'SMS_005')).toHaveLength(45);
    expect((await h.codes.get(PHONE, h.clock.now()))?.attempts).toBe(5);
  });
});
