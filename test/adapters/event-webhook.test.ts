// The event webhook sender: Standard Webhooks as the standardwebhooks package and the spec read them.
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventWebhookSender } from '../../src/adapters/event-webhook/event-webhook-sender.ts';
import { anEvent } from '../contract/event-outbox.contract.ts';
import { EVENT_SECRET, startEventReceiver } from '../support/event-receiver.ts';

let receiver: Awaited<ReturnType<typeof startEventReceiver>>;
beforeAll(async () => {
  receiver = await startEventReceiver();
});
afterAll(async () => {
  await receiver.close();
});

describe('event webhook sender', () => {
  it('signs each delivery so that the standardwebhooks package verifies it, and sends type, timestamp and data', async () => {
    const sender = createEventWebhookSender({ url: receiver.url, secret: EVENT_SECRET });
    const event = anEvent(7);
    expect(await sender.send(event)).toEqual({ ok: true });
    const got = receiver.deliveries.at(-1)!;
    expect(got.headers['webhook-id']).toBe(event.id);
    expect(got.headers['content-type']).toBe('application/json');
    const verified = new Webhook(EVENT_SECRET).verify(got.body, got.headers);
    expect(verified).toEqual({ type: event.type, timestamp: event.timestamp.toISOString(), data: event.data });
    // The wrong secret does not verify it.
    expect(() => new Webhook('whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').verify(got.body, got.headers)).toThrow();
  });

  it('matches a signature computed by hand from the spec: base64 HMAC-SHA256 of id.timestamp.body', async () => {
    const at = new Date('2026-03-01T12:00:00Z');
    const sender = createEventWebhookSender({ url: receiver.url, secret: EVENT_SECRET, now: () => at });
    await sender.send(anEvent(8));
    const got = receiver.deliveries.at(-1)!;
    expect(got.headers['webhook-timestamp']).toBe(String(at.getTime() / 1000));
    const key = Buffer.from(EVENT_SECRET.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key)
      .update(`${got.headers['webhook-id']}.${got.headers['webhook-timestamp']}.${got.body}`)
      .digest('base64');
    expect(got.headers['webhook-signature']).toBe(`v1,${expected}`);
  });

  it('answers not ok for a non-2xx, a timeout and a refused connection', async () => {
    const sender = createEventWebhookSender({ url: receiver.url, secret: EVENT_SECRET, timeoutMs: 500 });
    receiver.answerNext(503);
    expect(await sender.send(anEvent(9))).toEqual({ ok: false, error: 'HTTP 503' });
    receiver.answerNext(0);
    expect(await sender.send(anEvent(10))).toEqual({ ok: false, error: 'timed out' });
    receiver.release();
    const closed = createEventWebhookSender({ url: 'http://127.0.0.1:9/events', secret: EVENT_SECRET });
    expect(await closed.send(anEvent(11))).toMatchObject({ ok: false, error: expect.stringMatching(/^unreachable/) });
  });
});
