// The service as users run it (npm start with MONGODB_URI) on a real server: restarts, two instances, outages.
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCKS_COLLECTION, lockId } from '../../src/adapters/mongodb/compat/key-lock.ts';
import { type FerretDb, startFerretDb } from '../support/ferretdb.ts';
import { mongo } from '../support/mongo-test-db.ts';
import { postJson as post, type ServiceProcess, startService } from '../support/service-process.ts';

const PHONE = '+14155552671';
const running: ServiceProcess[] = [];
const databases: string[] = [];
let dbCounter = 0;

afterAll(async () => {
  for (const service of running) await service.stop();
  if (mongo.uri && databases.length) {
    const client = await new MongoClient(mongo.uri).connect();
    for (const name of databases)
      await client
        .db(name)
        .dropDatabase()
        .catch(() => undefined);
    await client.close();
  }
});

function settings(extra: Record<string, string> = {}) {
  const db = `smsv_e2e_${process.pid}_${++dbCounter}`;
  databases.push(db);
  return {
    MONGODB_URI: mongo.uri!,
    MONGODB_DB: db,
    CODE_SECRET: 'e2e-secret-0123456789abcdef',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

async function start(env: Record<string, string>) {
  const service = await startService(env);
  running.push(service);
  return service;
}

/** Every code the service's console sender printed for `phone`, oldest first. */
const codesFor = (service: ServiceProcess, phone: string) =>
  service.lines.filter((l) => l.startsWith(`[sms] to=${phone} `)).map((l) => /code is (\d+)/.exec(l)![1]!);

describe.skipIf(!mongo.uri)(`npm start with MONGODB_URI (${mongo.description})`, () => {
  it('keeps codes and send counts across a restart', async () => {
    const env = settings({ SEND_LIMIT: '2', RESEND_COOLDOWN_SECONDS: '0' });
    const first = await start(env);
    expect(first.lines.join('\n')).toMatch(/MongoDB stores ready/);
    expect((await post(first, '/v1/verifications', { phone: PHONE })).status).toBe(201);
    expect((await post(first, '/v1/verifications', { phone: PHONE })).status).toBe(201);
    await first.waitFor(/\[sms\].*/);
    const code = codesFor(first, PHONE).at(-1)!;
    expect(await first.stop('SIGTERM')).toBe(0);

    const second = await start(env);
    const third = await post(second, '/v1/verifications', { phone: PHONE });
    expect(third).toMatchObject({ status: 429, body: { code: 'SMS_002' } });
    expect(await post(second, '/v1/verifications/check', { phone: PHONE, code })).toMatchObject({
      status: 200,
      body: { status: 'approved' },
    });
  });

  it('shares the send limit exactly between two processes on one database', async () => {
    const env = settings({ RESEND_COOLDOWN_SECONDS: '0' });
    const [a, b] = await Promise.all([start(env), start(env)]);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => post(i % 2 ? a! : b!, '/v1/verifications', { phone: PHONE })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(results.filter((r) => r.status === 429 && r.body['code'] === 'SMS_002')).toHaveLength(45);
  });

  it('replays a send retried with its Idempotency-Key on the other instance: one SMS in all', async () => {
    const env = settings({ RESEND_COOLDOWN_SECONDS: '0' });
    const [a, b] = await Promise.all([start(env), start(env)]);
    const send = (service: ServiceProcess, key: string) =>
      fetch(`${service.url}/v1/verifications`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key },
        body: JSON.stringify({ phone: PHONE }),
      });
    const first = await send(a, 'order-42');
    expect(first.status).toBe(201);
    const retry = await send(b, 'order-42');
    expect(retry.status).toBe(201);
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await retry.json()).toEqual(await first.json());
    await a.waitFor(/\[sms\]/);
    await new Promise((r) => setTimeout(r, 200));
    expect(codesFor(a, PHONE).length + codesFor(b, PHONE).length).toBe(1);
  });

  it('refuses a code past its expiry while its document is still stored', async () => {
    const env = settings({ CODE_TTL_SECONDS: '1' });
    const service = await start(env);
    await post(service, '/v1/verifications', { phone: PHONE });
    await service.waitFor(/\[sms\]/);
    const code = codesFor(service, PHONE).at(-1)!;
    // The subject here is the real server's expiry, so real time passes; the TTL monitor would need a minute.
    await new Promise((r) => setTimeout(r, 1200));
    const client = await new MongoClient(mongo.uri!).connect();
    const stored = await client
      .db(env.MONGODB_DB)
      .collection('sms_verification_codes')
      .countDocuments({ phone_number: PHONE });
    await client.close();
    expect(stored).toBe(1);
    expect(await post(service, '/v1/verifications/check', { phone: PHONE, code })).toMatchObject({
      status: 410,
      body: { code: 'SMS_003' },
    });
  });
});

describe.skipIf(!mongo.ferretDbBinary)('database outage (a FerretDB this test starts and stops)', () => {
  let server: FerretDb | undefined;
  afterAll(async () => {
    await server?.destroy();
  });

  it('answers SMS_009 within 5 s and /readyz 503 while the server is down, and recovers without a restart', async () => {
    server = await startFerretDb(mongo.ferretDbBinary!);
    const service = await start({
      MONGODB_URI: server.uri,
      MONGODB_DB: 'outage',
      CODE_SECRET: 'e2e-secret-0123456789abcdef',
    });
    expect((await post(service, '/v1/verifications', { phone: PHONE })).status).toBe(201);
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);

    await server.stop();
    const started = Date.now();
    const down = await post(service, '/v1/verifications', { phone: '+12125550123' });
    const elapsed = Date.now() - started;
    expect(down).toMatchObject({ status: 503, body: { code: 'SMS_009' } });
    expect(elapsed).toBeLessThan(5000);
    expect(JSON.stringify(down.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    expect((await fetch(`${service.url}/readyz`)).status).toBe(503);

    await server.start();
    let recovered = 0;
    for (let i = 0; i < 50 && recovered !== 200; i++) {
      recovered = (await fetch(`${service.url}/readyz`)).status;
      if (recovered !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(recovered).toBe(200);
    expect((await post(service, '/v1/verifications', { phone: '+12125550123' })).status).toBe(201);
    await service.waitFor(/\[sms\] to=\+12125550123/);
    const code = codesFor(service, '+12125550123').at(-1)!;
    expect((await post(service, '/v1/verifications/check', { phone: '+12125550123', code })).status).toBe(200);
  });

  it('answers SMS_009 within MONGODB_TIMEOUT_MS when the server freezes (SIGSTOP), not at a socket timeout', async () => {
    const frozen = await startFerretDb(mongo.ferretDbBinary!);
    try {
      const service = await start({
        MONGODB_URI: frozen.uri,
        MONGODB_DB: 'frozen',
        MONGODB_TIMEOUT_MS: '1000',
        CODE_SECRET: 'e2e-secret-0123456789abcdef',
      });
      expect((await post(service, '/v1/verifications', { phone: PHONE })).status).toBe(201);
      frozen.pause();
      for (const [path, body] of [
        ['/v1/verifications', { phone: '+12125550124' }],
        ['/v1/verifications/check', { phone: PHONE, code: '123456' }],
      ] as const) {
        const started = Date.now();
        const answer = await post(service, path, body);
        // Before the operation timeout, the frozen socket held each request for 10 to 12 s.
        expect(Date.now() - started).toBeLessThan(5000);
        expect(answer).toMatchObject({ status: 503, body: { code: 'SMS_009' } });
      }
      frozen.resume();
      let recovered = 0;
      for (let i = 0; i < 50 && recovered !== 201; i++) {
        recovered = (await post(service, '/v1/verifications', { phone: '+12125550125' })).status;
        if (recovered !== 201) await new Promise((r) => setTimeout(r, 200));
      }
      expect(recovered).toBe(201);
    } finally {
      await frozen.destroy();
    }
  });
});

describe.skipIf(mongo.kind !== 'ferretdb')(
  'a send cut by shutdown (holds a lease lock to freeze a send between its charges; FerretDB only, MongoDB needs no lock)',
  () => {
    it('leaves nothing charged for an SMS never handed to the provider, and exits 0', async () => {
      const env = settings({ SHUTDOWN_TIMEOUT_SECONDS: '2', RESEND_COOLDOWN_SECONDS: '0' });
      const service = await start(env);
      const client = await new MongoClient(mongo.uri!).connect();
      const db = client.db(env.MONGODB_DB);
      // Another "process" holds the prefix key for 2.5 s: the send charges its phone, then waits
      // past the 2 s shutdown deadline, and reaches the sender only after its connection is gone.
      await db
        .collection<{ _id: string; owner: string; expires_at: Date }>(LOCKS_COLLECTION)
        .insertOne({ _id: lockId('limit:prefix:+1415555'), owner: 'test', expires_at: new Date(Date.now() + 2500) });
      const cut = post(service, '/v1/verifications', { phone: PHONE }).then(
        (r) => r.status,
        () => 'connection closed',
      );
      for (let i = 0; i < 100; i++) {
        const phoneDoc = await db
          .collection<{ sends?: unknown[] }>('sms_rate_limits')
          .findOne({ _id: `phone:${PHONE}` } as never);
        if (phoneDoc?.sends?.length) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await service.stop('SIGTERM')).toBe(0);
      expect(await cut).toBe('connection closed');
      expect(service.lines.filter((l) => l.startsWith('[sms] '))).toEqual([]);
      const charged = await db
        .collection<{ _id: string; sends?: unknown[]; count?: number }>('sms_rate_limits')
        .find({ $or: [{ 'sends.0': { $exists: true } }, { count: { $gt: 0 } }] })
        .toArray();
      await client.close();
      expect(charged.map((d) => d._id)).toEqual([]);
    });
  },
);
