// Bursts against two service processes on one database: contention must answer the rule's own
// outcome (201, 429, 422), never 503 while the server is up, and no log line may hold a whole number.
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mongo } from '../support/mongo-test-db.ts';
import { postJson as post, type ServiceProcess, startService } from '../support/service-process.ts';
import { tally } from '../support/tally.ts';

const DB = `smsv_burst_${process.pid}`;
const running: ServiceProcess[] = [];

afterAll(async () => {
  for (const service of running) await service.stop();
  if (!mongo.uri) return;
  const client = await new MongoClient(mongo.uri).connect();
  await client
    .db(DB)
    .dropDatabase()
    .catch(() => undefined);
  await client.close();
});

describe.skipIf(!mongo.uri)(`two instances under bursts (${mongo.description})`, () => {
  const used: string[] = [];
  let a: ServiceProcess;
  let b: ServiceProcess;
  const both = (i: number) => (i % 2 ? a : b);

  // Set-up, not a test: two instances on one database.
  beforeAll(async () => {
    const env = {
      MONGODB_URI: mongo.uri!,
      MONGODB_DB: DB,
      CODE_SECRET: 'burst-secret-0123456789abcdef',
      RESEND_COOLDOWN_SECONDS: '0',
      DAILY_SEND_BUDGET: '100000',
      LOG_LEVEL: 'info',
      // MONGODB_TIMEOUT_MS bounds each round trip. FerretDB on SQLite answers a command of a
      // 270-request burst behind its lease locks in more than the default 3 s on this 2-core
      // machine; this test is about exact counts, not latency, so it gives the server time.
      MONGODB_TIMEOUT_MS: '20000',
    };
    [a, b] = await Promise.all([startService(env), startService(env)]);
    running.push(a, b);
  }, 60_000);

  // Exact counts, not speed: 17 s on FerretDB behind lease locks here, so a timeout of its own.
  it('three bursts at once: one phone, one prefix, unrelated prefixes behind one daily budget', async () => {
    const phone = '+17185550100';
    const samePrefix = Array.from({ length: 100 }, (_, i) => `+1212555${String(1000 + i)}`);
    const unrelated = Array.from({ length: 50 }, (_, i) => `+1312${String(300 + i)}4567`);
    used.push(phone, ...samePrefix, ...unrelated);
    const burst = (phones: string[]) =>
      Promise.all(phones.map((p, i) => post(both(i), '/v1/verifications', { phone: p })));
    const [onePhone, onePrefix, budgetOnly] = await Promise.all([
      burst(Array.from({ length: 120 }, () => phone)),
      burst(samePrefix),
      burst(unrelated),
    ]);
    // SEND_LIMIT 5 and PREFIX_SEND_LIMIT 20 admit exactly that many; the budget is far away.
    expect(tally(onePhone.map((r) => r.status))).toEqual({ 201: 5, 429: 115 });
    expect(tally(onePrefix.map((r) => r.status))).toEqual({ 201: 20, 429: 80 });
    expect(tally(budgetOnly.map((r) => r.status))).toEqual({ 201: 50 });
  }, 90_000);

  it('120 parallel wrong checks: exactly MAX_CHECK_ATTEMPTS counted, the rest 429 SMS_005', async () => {
    const phone = '+16465550199';
    used.push(phone);
    expect((await post(a, '/v1/verifications', { phone })).status).toBe(201);
    const results = await Promise.all(
      Array.from({ length: 120 }, (_, i) => post(both(i), '/v1/verifications/check', { phone, code: '0000000' })),
    );
    expect(tally(results.map((r) => r.status))).toEqual({ 422: 5, 429: 115 });
    expect(results.filter((r) => r.status === 429).every((r) => r.body['code'] === 'SMS_005')).toBe(true);
  }, 90_000);

  it('no log line holds a whole number', () => {
    const logs = [...a.lines, ...b.lines].filter((line) => !line.startsWith('[sms] '));
    const leaks = logs.filter((line) => used.some((phone) => line.includes(phone.slice(1))));
    expect(leaks).toEqual([]);
  });
});
