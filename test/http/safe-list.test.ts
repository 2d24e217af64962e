// The stored safe list: managed on /v1/safe-list by the admin key, and obeyed by the next send.
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/adapters/clock/manual-clock.ts';
import { createMemoryCodeStore } from '../../src/adapters/keyed-stores/memory-code-store.ts';
import { createMemorySafeListStore } from '../../src/adapters/keyed-stores/memory-safe-list-store.ts';
import { createMemorySendLimitStore } from '../../src/adapters/memory/memory-send-limit-store.ts';
import { createRecordingSender } from '../../src/adapters/memory/recording-sender.ts';
import { createCodeHasher } from '../../src/adapters/web-crypto/code-hasher.ts';
import { parseSettings } from '../../src/config/settings.ts';
import { createService } from '../../src/service.ts';
import { call } from '../support/http.ts';
import { capturingLogger } from '../support/log-capture.ts';

const ADMIN = { Authorization: 'Bearer admin-key-0123456789abcdef' };
const API = { Authorization: 'Bearer api-key-0123456789abcdef' };

async function setup(store = createMemorySafeListStore()) {
  const loaded = parseSettings({
    NODE_ENV: 'test',
    API_KEYS: 'api-key-0123456789abcdef',
    ADMIN_API_KEYS: 'admin-key-0123456789abcdef',
    ALLOWED_COUNTRIES: 'US',
    RESEND_COOLDOWN_SECONDS: '0',
  });
  if (!loaded.ok) throw new Error(loaded.errors.join());
  const service = createService(loaded.settings, {
    codes: createMemoryCodeStore(),
    limits: createMemorySendLimitStore(),
    sender: createRecordingSender(),
    clock: createManualClock(new Date('2026-03-01T12:00:00Z')),
    hasher: await createCodeHasher(['safe-list-secret-0123456789']),
    logger: capturingLogger(),
    safeList: store,
  });
  const send = async (phone: string) => (await call(service.app, 'POST', '/v1/verifications', { phone }, API)).status;
  const admin = (method: string, path: string, body?: unknown) => call(service.app, method, path, body, ADMIN);
  return { service, send, admin, store };
}

describe('/v1/safe-list', () => {
  it('lets a listed number through the country allow-list at once, and stops it once removed', async () => {
    const t = await setup();
    expect(await t.send('+447400123456')).toBe(403);
    const added = await t.admin('POST', '/v1/safe-list', { phoneNumber: '+447400123456' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ sid: expect.stringMatching(/^GN[0-9a-f]{32}$/), phoneNumber: '+447400123456' });
    expect(await t.send('+447400123456')).toBe(201);
    // A whole number matches only itself.
    expect(await t.send('+447400123457')).toBe(403);
    expect((await t.admin('DELETE', `/v1/safe-list/${encodeURIComponent('+447400123456')}`)).status).toBe(204);
    expect(await t.send('+447400123456')).toBe(403);
    expect((await t.admin('DELETE', `/v1/safe-list/${encodeURIComponent('+447400123456')}`)).status).toBe(404);
  });

  it('takes a prefix with a trailing *, lists entries, reads one, and answers again with the first entry', async () => {
    const t = await setup();
    const first = await t.admin('POST', '/v1/safe-list', { phoneNumber: '+447400*' });
    const again = await t.admin('POST', '/v1/safe-list', { phoneNumber: '+447400*' });
    expect(again.body).toEqual(first.body);
    expect(await t.send('+447400123999')).toBe(201);
    expect((await t.admin('GET', '/v1/safe-list')).body).toEqual({ entries: [first.body] });
    expect((await t.admin('GET', `/v1/safe-list/${encodeURIComponent('+447400*')}`)).body).toEqual(first.body);
  });

  it('sees entries another instance added once it refreshes', async () => {
    const shared = createMemorySafeListStore();
    const a = await setup(shared);
    await a.admin('POST', '/v1/safe-list', { phoneNumber: '+447400123456' });
    expect(await a.send('+447400123456')).toBe(201);
    // Another instance reads the stored list when it starts (and every 10 s after).
    const other = await setup(shared);
    await expect.poll(() => other.send('+447400123456')).toBe(201);
  });

  it('refuses what is not a number or prefix, and anyone but the admin key', async () => {
    const t = await setup();
    for (const phoneNumber of ['447400123456', '+44*74', '*', '+0123456789', 'x'.repeat(30)]) {
      const res = await t.admin('POST', '/v1/safe-list', { phoneNumber });
      expect(res.status, phoneNumber).toBe(400);
      expect(res.body).toMatchObject({ code: 'SMS_000' });
    }
    expect((await call(t.service.app, 'GET', '/v1/safe-list', undefined, API)).status).toBe(401);
    expect((await call(t.service.app, 'POST', '/v1/safe-list', { phoneNumber: '+14155552671' }, API)).status).toBe(401);
  });
});
