// Two instances on one MongoDB-compatible server share one outbox: each event reaches the endpoint once.
import { MongoClient } from 'mongodb';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_SECRET, startEventReceiver } from '../support/event-receiver.ts';
import { mongo } from '../support/mongo-test-db.ts';
import { postJson, type ServiceProcess, startService } from '../support/service-process.ts';

const DB = `smsv_events_${process.pid}`;
const running: ServiceProcess[] = [];
let receiver: Awaited<ReturnType<typeof startEventReceiver>>;

afterAll(async () => {
  for (const service of running) await service.stop();
  await receiver?.close();
  if (!mongo.uri) return;
  const client = await new MongoClient(mongo.uri).connect();
  await client
    .db(DB)
    .dropDatabase()
    .catch(() => undefined);
  await client.close();
});

describe.skipIf(!mongo.uri)(`event webhooks from two instances (${mongo.description})`, () => {
  let a: ServiceProcess;
  let b: ServiceProcess;
  beforeAll(async () => {
    receiver = await startEventReceiver();
    const env = {
      MONGODB_URI: mongo.uri!,
      MONGODB_DB: DB,
      CODE_SECRET: 'events-secret-0123456789abcdef',
      EVENT_WEBHOOK_URL: receiver.url,
      EVENT_WEBHOOK_SECRET: EVENT_SECRET,
      MONGODB_TIMEOUT_MS: '20000',
    };
    [a, b] = await Promise.all([startService(env), startService(env)]);
    running.push(a, b);
  }, 60_000);

  it('delivers each of 12 events once, though both instances scan the same outbox every second', async () => {
    for (let i = 0; i < 12; i++) {
      const res = await postJson(i % 2 ? a : b, '/v1/verifications', { phone: `+1415555${String(3000 + i)}` });
      expect(res.status).toBe(201);
    }
    const ids = () => new Set(receiver.deliveries.map((d) => d.headers['webhook-id']));
    await expect.poll(() => ids().size, { timeout: 30_000, interval: 250 }).toBe(12);
    // Three more passes of each instance: nothing goes twice.
    await new Promise((done) => setTimeout(done, 3000));
    expect(receiver.deliveries).toHaveLength(12);
    for (const d of receiver.deliveries) {
      expect((new Webhook(EVENT_SECRET).verify(d.body, d.headers) as { type: string }).type).toBe(
        'verification.started',
      );
    }
  }, 60_000);
});
