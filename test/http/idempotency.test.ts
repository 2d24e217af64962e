// Idempotency-Key on POST /v1/verifications: retries replay the first answer and send no second SMS.
import { describe, expect, it } from 'vitest';
import { createMemoryFraudStore } from '../../src/adapters/keyed-stores/memory-fraud-store.ts';
import { createMemoryIdempotencyStore } from '../../src/adapters/keyed-stores/memory-idempotency-store.ts';
import { createApp } from '../../src/http/create-app.ts';
import type { SendOutcome } from '../../src/ports/message-sender.ts';
import { createHarness, PHONE } from '../support/harness.ts';
import { call } from '../support/http.ts';

async function setup(options: Parameters<typeof createHarness>[0] = {}) {
  const h = await createHarness({ policy: { resendCooldownSeconds: 0 }, ...options });
  const app = createApp({
    verifier: h.verifier,
    apiKeys: ['key-one-0123456789abcdef', 'key-two-0123456789abcdef'],
    idempotency: { store: createMemoryIdempotencyStore(), now: () => h.clock.now() },
  });
  const send = (key: string | undefined, body: unknown = { phone: PHONE }, apiKey = 'key-one-0123456789abcdef') =>
    call(app, 'POST', '/v1/verifications', body, {
      Authorization: `Bearer ${apiKey}`,
      ...(key === undefined ? {} : { 'Idempotency-Key': key }),
    });
  return { h, app, send };
}

describe('Idempotency-Key on sends', () => {
  it('replays the first answer for a retry with the same key and body, sending one SMS', async () => {
    const { h, send } = await setup();
    const first = await send('retry-1');
    expect(first.status).toBe(201);
    h.clock.advance(5);
    const retry = await send('retry-1');
    expect(retry).toMatchObject({ status: 201, body: first.body });
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
    expect(first.headers.get('Location')).toBe(`/v1/verifications/${encodeURIComponent(PHONE)}`);
    expect(retry.headers.get('Location')).toBe(first.headers.get('Location'));
    expect(h.sender.sent).toHaveLength(1);
    // Without the header, a second send is a second SMS.
    expect((await send(undefined)).status).toBe(201);
    expect(h.sender.sent).toHaveLength(2);
  });

  it('accepts the draft’s quoted form as the same key', async () => {
    const { h, send } = await setup();
    await send('"abc-123"');
    expect((await send('abc-123')).headers.get('Idempotent-Replayed')).toBe('true');
    expect(h.sender.sent).toHaveLength(1);
  });

  it('answers 422 SMS_016 for the same key with another body, sending nothing', async () => {
    const { h, send } = await setup();
    await send('k');
    const other = await send('k', { phone: '+12125550123' });
    expect(other).toMatchObject({ status: 422, body: { code: 'SMS_016' } });
    expect(h.sender.sent).toHaveLength(1);
  });

  it('sends one SMS for two concurrent requests with one key: the other answers 409 SMS_017', async () => {
    const { h, send } = await setup();
    let release!: () => void;
    let reached!: () => void;
    const inSender = new Promise<void>((done) => {
      reached = done;
    });
    const send0 = h.sender.send.bind(h.sender);
    h.sender.send = async (message): Promise<SendOutcome> => {
      await new Promise<void>((done) => {
        release = done;
        reached();
      });
      return send0(message);
    };
    const first = send('same');
    // The first request holds its claim while its SMS is in the provider's hands: wait for that,
    // not for a fixed time, which a loaded machine can overrun.
    await inSender;
    const second = await send('same');
    expect(second).toMatchObject({ status: 409, body: { code: 'SMS_017', retryAfter: 1 } });
    expect(second.headers.get('Retry-After')).toBe('1');
    release();
    expect((await first).status).toBe(201);
    expect(h.sender.sent).toHaveLength(1);
  });

  it('keeps the answer 24 h: after that the key sends again', async () => {
    const { h, send } = await setup();
    await send('day');
    h.clock.advance(86_399);
    expect((await send('day')).headers.get('Idempotent-Replayed')).toBe('true');
    h.clock.advance(2);
    const later = await send('day');
    expect(later.status).toBe(201);
    expect(later.headers.get('Idempotent-Replayed')).toBeNull();
    expect(h.sender.sent).toHaveLength(2);
  });

  it('does not keep a 429 or a provider failure: a retry with the key runs again', async () => {
    const { h, send } = await setup({ policy: { sendLimit: 1, resendCooldownSeconds: 0 } });
    await send(undefined);
    expect((await send('after-limit')).status).toBe(429);
    h.clock.advance(3601);
    expect((await send('after-limit')).status).toBe(201);

    h.sender.failNext({ ok: false, reason: 'provider_failed', detail: 'Twilio 503' });
    h.clock.advance(3601);
    expect((await send('after-failure', { phone: '+12125550123' })).status).toBe(502);
    const retried = await send('after-failure', { phone: '+12125550123' });
    expect(retried.status).toBe(201);
    expect(retried.headers.get('Idempotent-Replayed')).toBeNull();
  });

  it('does not keep a fraud block (SMS_015): once it is lifted, a retry with the key sends', async () => {
    const fraud = createMemoryFraudStore();
    const { h, send } = await setup({ fraud });
    const now = h.clock.now();
    const until = new Date(now.getTime() + 3_600_000);
    const block = {
      prefix: '+141555',
      country: 'US',
      mode: 'block',
      since: now,
      until,
      sends: 20,
      approvals: 0,
    } as const;
    await fraud.block(block, now, until);
    const refused = await send('blocked-1');
    expect(refused).toMatchObject({ status: 403, body: { code: 'SMS_015', retryAfter: 3600 } });
    expect(refused.headers.get('Retry-After')).toBe('3600');
    await fraud.lift('+141555', h.clock.now());
    const retried = await send('blocked-1');
    expect(retried.status).toBe(201);
    expect(retried.headers.get('Idempotent-Replayed')).toBeNull();
  });

  it('keeps refusals that do not depend on time (SMS_010): a retry replays them', async () => {
    const { h, send } = await setup({ policy: { allowedCountries: ['US'] } });
    const first = await send('country-1', { phone: '+447911123456' });
    expect(first).toMatchObject({ status: 403, body: { code: 'SMS_010' } });
    const retry = await send('country-1', { phone: '+447911123456' });
    expect(retry).toMatchObject({ status: 403, body: first.body });
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
    expect(h.sender.sent).toHaveLength(0);
  });

  it('scopes keys to the caller: another API key with the same key is its own request', async () => {
    const { h, send } = await setup();
    await send('shared', { phone: PHONE }, 'key-one-0123456789abcdef');
    const other = await send('shared', { phone: '+12125550123' }, 'key-two-0123456789abcdef');
    expect(other.status).toBe(201);
    expect(h.sender.sent).toHaveLength(2);
  });

  it('refuses a malformed key with SMS_000 naming the header', async () => {
    const { send } = await setup();
    const res = await send('has space');
    expect(res).toMatchObject({ status: 400, body: { code: 'SMS_000', fields: ['Idempotency-Key'] } });
  });
});
