// Event webhooks through the service, on a manual clock: what is sent, retried, given up and redelivered.
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/adapters/clock/manual-clock.ts';
import { createMemoryAttemptStore } from '../../src/adapters/keyed-stores/memory-attempt-store.ts';
import { createMemoryCodeStore } from '../../src/adapters/keyed-stores/memory-code-store.ts';
import { createMemoryEventOutbox } from '../../src/adapters/keyed-stores/memory-event-outbox.ts';
import { createMemorySendLimitStore } from '../../src/adapters/memory/memory-send-limit-store.ts';
import { createRecordingSender } from '../../src/adapters/memory/recording-sender.ts';
import { createCodeHasher } from '../../src/adapters/web-crypto/code-hasher.ts';
import { policyFromSettings } from '../../src/config/policy-from-settings.ts';
import { parseServicesFile } from '../../src/config/services-file.ts';
import { parseSettings } from '../../src/config/settings.ts';
import { createService } from '../../src/service.ts';
import { EVENT_SECRET, startEventReceiver } from '../support/event-receiver.ts';
import { call } from '../support/http.ts';
import { capturingLogger } from '../support/log-capture.ts';

const PHONE = '+14155552671';
let receiver: Awaited<ReturnType<typeof startEventReceiver>>;
beforeAll(async () => {
  receiver = await startEventReceiver();
});
afterAll(async () => {
  await receiver.close();
});

async function setup() {
  receiver.reset();
  const loaded = parseSettings({
    NODE_ENV: 'test',
    EVENT_WEBHOOK_URL: receiver.url,
    EVENT_WEBHOOK_SECRET: EVENT_SECRET,
    EVENT_WEBHOOK_TIMEOUT_MS: '1000',
    RESEND_COOLDOWN_SECONDS: '0',
  });
  if (!loaded.ok) throw new Error(loaded.errors.join());
  const clock = createManualClock(new Date());
  const sender = createRecordingSender();
  const outbox = createMemoryEventOutbox();
  const service = createService(loaded.settings, {
    codes: createMemoryCodeStore(),
    limits: createMemorySendLimitStore(),
    sender,
    clock,
    hasher: await createCodeHasher(['events-secret-0123456789']),
    logger: capturingLogger(),
    attempts: createMemoryAttemptStore({ now: () => clock.now() }),
    outbox,
    timers: false,
  });
  const send = () => call(service.app, 'POST', '/v1/verifications', { phone: PHONE });
  const check = (code = sender.lastCode(PHONE)) =>
    call(service.app, 'POST', '/v1/verifications/check', { phone: PHONE, code });
  const deliver = async () => {
    await service.settledRecords();
    return service.deliverEvents();
  };
  return { service, clock, sender, outbox, send, check, deliver };
}

describe('event webhooks', () => {
  it('tells the app of a start, a resend and an approval, signed, with no code and no whole number', async () => {
    const t = await setup();
    await t.send();
    await t.send();
    await t.check();
    expect(await t.deliver()).toBe(3);
    const events = receiver.deliveries.map(
      (d) => new Webhook(EVENT_SECRET).verify(d.body, d.headers) as { type: string; data: Record<string, unknown> },
    );
    expect(events.map((e) => e.type)).toEqual(['verification.started', 'verification.resent', 'verification.approved']);
    expect(events[0]!.data).toMatchObject({
      phoneTail: '…2671',
      country: 'US',
      channel: 'sms',
      provider: 'recording',
      serviceSid: expect.stringMatching(/^VA/),
      verificationSid: expect.stringMatching(/^VE[0-9a-f]{32}$/),
    });
    // One verification: the same public id on all three.
    expect(new Set(events.map((e) => e.data['verificationSid'])).size).toBe(1);
    const text = receiver.deliveries.map((d) => d.body).join('\n');
    expect(text).not.toContain('4155552671');
    expect(text).not.toContain(t.sender.lastCode(PHONE)!);
  });

  it('delivers an event the endpoint refused twice on the third try, the same webhook-id each time, then never again', async () => {
    const t = await setup();
    receiver.answerNext(503, 500);
    await t.send();
    expect(await t.deliver()).toBe(0);
    // The next try waits its backoff: nothing goes before it.
    t.clock.advance(3);
    expect(await t.deliver()).toBe(0);
    t.clock.advance(10);
    expect(await t.deliver()).toBe(0);
    t.clock.advance(30);
    expect(await t.deliver()).toBe(1);
    t.clock.advance(3600);
    expect(await t.deliver()).toBe(0);
    expect(receiver.deliveries).toHaveLength(3);
    expect(new Set(receiver.deliveries.map((d) => d.headers['webhook-id'])).size).toBe(1);
  });

  it('gives up after 24 h of retries, lists the event for the operator, and redelivers it when asked', async () => {
    const t = await setup();
    receiver.answerNext(...Array.from({ length: 60 }, () => 500));
    await t.send();
    for (let i = 0; i < 60 && (await t.outbox.failed(1)).length === 0; i++) {
      await t.deliver();
      t.clock.advance(3600);
    }
    const tries = receiver.deliveries.length;
    expect(tries).toBeGreaterThan(10);
    expect(tries).toBeLessThan(40);
    const failed = await call(t.service.app, 'GET', '/v1/events/failed');
    expect(failed.body.events).toEqual([
      expect.objectContaining({ type: 'verification.started', lastError: 'HTTP 500', attempts: tries }),
    ]);
    receiver.reset();
    const id = (failed.body.events as { id: string }[])[0]!.id;
    expect((await call(t.service.app, 'POST', `/v1/events/${id}/redeliver`)).status).toBe(202);
    expect((await call(t.service.app, 'POST', `/v1/events/${id}/redeliver`)).status).toBe(404);
    expect(await t.deliver()).toBe(1);
    expect(receiver.deliveries.map((d) => d.headers['webhook-id'])).toEqual([id]);
  });

  it('answers a send while a delivery hangs at the endpoint: the send never waits for it', async () => {
    const t = await setup();
    await t.send();
    await t.service.settledRecords();
    receiver.answerNext(0);
    const delivering = t.service.deliverEvents();
    await expect.poll(() => receiver.deliveries.length).toBe(1);
    // The endpoint holds the delivery; a send and a check are answered meanwhile.
    expect((await t.send()).status).toBe(201);
    expect((await t.check()).status).toBe(200);
    receiver.release();
    expect(await delivering).toBe(1);
  });
});

describe('event webhooks per service', () => {
  it("sends a service's events to its own endpoint (SERVICES_FILE eventWebhook), the others' to EVENT_WEBHOOK_URL", async () => {
    receiver.reset();
    const own = await startEventReceiver();
    try {
      const OWN_SECRET = 'whsec_QmFua1NlY3JldEZvckV2ZW50czAxMjM0NQ==';
      const BANK = `VA${'ba'.repeat(16)}`;
      const loaded = parseSettings({
        NODE_ENV: 'test',
        EVENT_WEBHOOK_URL: receiver.url,
        EVENT_WEBHOOK_SECRET: EVENT_SECRET,
      });
      if (!loaded.ok) throw new Error(loaded.errors.join());
      const file = parseServicesFile(
        JSON.stringify({
          services: [{ sid: BANK, friendlyName: 'Bank', eventWebhook: { url: own.url, secret: OWN_SECRET } }],
        }),
        policyFromSettings(loaded.settings),
      );
      if (!file.ok) throw new Error(file.errors.join());
      const clock = createManualClock(new Date());
      const service = createService(
        loaded.settings,
        {
          codes: createMemoryCodeStore(),
          limits: createMemorySendLimitStore(),
          sender: createRecordingSender(),
          clock,
          hasher: await createCodeHasher(['events-secret-0123456789']),
          logger: capturingLogger(),
          outbox: createMemoryEventOutbox(),
          timers: false,
        },
        file.services,
      );
      await call(service.app, 'POST', '/v1/verifications', { phone: '+14155552671' });
      await call(service.app, 'POST', `/v1/services/${BANK}/verifications`, { phone: '+14155552672' });
      await service.settledRecords();
      expect(await service.deliverEvents()).toBe(2);
      expect(
        receiver.deliveries.map(
          (d) =>
            (new Webhook(EVENT_SECRET).verify(d.body, d.headers) as { data: { serviceSid: string } }).data.serviceSid,
        ),
      ).toEqual([`VA${'0'.repeat(32)}`]);
      expect(
        own.deliveries.map(
          (d) =>
            (new Webhook(OWN_SECRET).verify(d.body, d.headers) as { data: { serviceSid: string } }).data.serviceSid,
        ),
      ).toEqual([BANK]);
    } finally {
      await own.close();
    }
  });
});
