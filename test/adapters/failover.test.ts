// Routing and failover: the next provider only when the one before did not take the message.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createManualClock } from '../../src/adapters/clock/manual-clock.ts';
import { createFailoverSender, type FailoverOptions } from '../../src/adapters/failover/failover-sender.ts';
import { createMemoryCodeStore } from '../../src/adapters/keyed-stores/memory-code-store.ts';
import { createMemorySendLimitStore } from '../../src/adapters/memory/memory-send-limit-store.ts';
import { createCodeHasher } from '../../src/adapters/web-crypto/code-hasher.ts';
import { parseSettings } from '../../src/config/settings.ts';
import type { MessageSender, OutgoingMessage, SendOutcome } from '../../src/ports/message-sender.ts';
import { createService } from '../../src/service.ts';
import { messageSenderContract } from '../contract/message-sender.contract.ts';
import { call } from '../support/http.ts';
import { capturingLogger } from '../support/log-capture.ts';

type Behaviour = 'ok' | 'fail' | 'refuse' | 'timeout';

/** A provider that answers as told, and counts the requests it got. */
function fake(name: string, behave: () => Behaviour = () => 'ok') {
  const received: OutgoingMessage[] = [];
  let requests = 0;
  const sender: MessageSender = {
    provider: name,
    channels: ['sms'],
    async send(message): Promise<SendOutcome> {
      requests += 1;
      const what = behave();
      if (what === 'ok') {
        received.push(message);
        return { ok: true, provider: name, messageId: `${name}-${requests}` };
      }
      if (what === 'refuse')
        return { ok: false, provider: name, reason: 'destination_refused', providerCode: '21211', detail: 'invalid' };
      return {
        ok: false,
        provider: name,
        reason: 'provider_failed',
        providerCode: what === 'timeout' ? 'timeout' : '503',
        detail: what,
        fate: what === 'timeout' ? 'unknown' : 'not_taken',
      };
    },
  };
  return { sender, received, requests: () => requests };
}

/** A failover sender over `fakes`, tried in the order given. */
const failoverOf = (fakes: readonly ReturnType<typeof fake>[], options: Partial<FailoverOptions> = {}) =>
  createFailoverSender({
    senders: new Map(fakes.map((f) => [f.sender.provider, f.sender])),
    order: fakes.map((f) => f.sender.provider),
    ...options,
  });

const message = (to: string, country = 'US'): OutgoingMessage => ({
  to,
  text: `code for ${to}`,
  channel: 'sms',
  country,
});

afterEach(() => {
  vi.useRealTimers();
});

describe('the failover sender', () => {
  it('sends through the first provider while it works, and fails over when it does not take the message', async () => {
    let primaryDown = false;
    const primary = fake('twilio', () => (primaryDown ? 'fail' : 'ok'));
    const secondary = fake('vonage');
    const failover = failoverOf([primary, secondary]);
    expect(await failover.send(message('+14155550001'))).toMatchObject({ ok: true, provider: 'twilio' });
    primaryDown = true;
    expect(await failover.send(message('+14155550002'))).toMatchObject({ ok: true, provider: 'vonage' });
    // The same text (and so the same code) reaches whichever provider sends it.
    expect(secondary.received.map((m) => m.text)).toEqual(['code for +14155550002']);
  });

  it('never sends a refused destination or a message of unknown fate elsewhere', async () => {
    for (const behaviour of ['refuse', 'timeout'] as const) {
      const primary = fake('twilio', () => behaviour);
      const secondary = fake('vonage');
      const failover = failoverOf([primary, secondary]);
      const outcome = await failover.send(message('+14155550003'));
      expect(outcome).toMatchObject({ ok: false, provider: 'twilio' });
      expect(secondary.requests()).toBe(0);
    }
  });

  it('routes a country by its own order, and answers provider_failed naming each when every one failed', async () => {
    const twilio = fake('twilio', () => 'fail');
    const vonage = fake('vonage', () => 'fail');
    const http = fake('http');
    const failover = createFailoverSender({
      senders: new Map([
        ['twilio', twilio.sender],
        ['vonage', vonage.sender],
        ['http', http.sender],
      ]),
      order: ['twilio', 'vonage'],
      routes: new Map([['IN', ['http']]]),
    });
    expect(await failover.send(message('+919876543210', 'IN'))).toMatchObject({ ok: true, provider: 'http' });
    expect(twilio.requests() + vonage.requests()).toBe(0);
    const failed = await failover.send(message('+14155550004'));
    expect(failed).toMatchObject({ ok: false, reason: 'provider_failed', fate: 'not_taken', provider: 'vonage' });
    expect(failed.ok ? '' : failed.detail).toMatch(/twilio \(503\), vonage \(503\)/);
    expect(http.requests()).toBe(1);
  });

  it("takes a service's own route before SMS_ROUTES, and a calling code's route for every country under it", async () => {
    const twilio = fake('twilio');
    const http = fake('http');
    const failover = createFailoverSender({
      senders: new Map([
        ['twilio', twilio.sender],
        ['http', http.sender],
      ]),
      order: ['twilio'],
      routes: new Map([['+44', ['http']]]),
    });
    expect(await failover.send({ ...message('+14155550005'), route: ['http'] })).toMatchObject({ provider: 'http' });
    expect(await failover.send({ ...message('+447911123456', 'GB'), callingCode: '44' })).toMatchObject({
      provider: 'http',
    });
    expect(await failover.send(message('+14155550006'))).toMatchObject({ provider: 'twilio' });
  });

  it('stops calling a failing provider once its circuit opens, and probes it again after halfOpenAfterMs', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-01T12:00:00Z') });
    let primaryDown = true;
    const primary = fake('twilio', () => (primaryDown ? 'fail' : 'ok'));
    const secondary = fake('vonage');
    const failover = failoverOf([primary, secondary], { breaker: { failures: 3, halfOpenAfterMs: 30_000 } });
    for (let i = 0; i < 10; i++) await failover.send(message(`+1415555010${i}`));
    expect(primary.requests()).toBe(3);
    expect(secondary.requests()).toBe(10);
    expect(failover.circuits()).toEqual({ twilio: 'open', vonage: 'closed' });
    expect(failover.usable()).toBe(true);
    primaryDown = false;
    vi.setSystemTime(new Date('2026-03-01T12:00:31Z'));
    expect(await failover.send(message('+14155550199'))).toMatchObject({ ok: true, provider: 'twilio' });
    expect(failover.circuits()).toEqual({ twilio: 'closed', vonage: 'closed' });
  });

  it('sends each of 50 parallel messages exactly once, through the secondary, while the primary fails', async () => {
    const primary = fake('twilio', () => 'fail');
    const secondary = fake('vonage');
    const failover = failoverOf([primary, secondary]);
    const phones = Array.from({ length: 50 }, (_, i) => `+1415555${String(2000 + i)}`);
    const outcomes = await Promise.all(phones.map((to) => failover.send(message(to))));
    expect(outcomes.every((o) => o.ok && o.provider === 'vonage')).toBe(true);
    expect(secondary.received.map((m) => m.to).sort()).toEqual([...phones].sort());
  });
});

messageSenderContract('failover over two providers (the first failing)', {
  capabilities: { canFail: true },
  answeringProviders: ['twilio', 'vonage'],
  fresh: async () => {
    const fault = { next: null as Behaviour | null };
    const primary = fake('twilio', () => 'fail');
    const secondary = fake('vonage', () => {
      const what = fault.next ?? 'ok';
      fault.next = null;
      return what;
    });
    const sender = failoverOf([primary, secondary]);
    return {
      sender,
      received: async () => secondary.received,
      faults: {
        refuseNext: () => {
          fault.next = 'refuse';
        },
        failNext: () => {
          fault.next = 'fail';
        },
      },
    };
  },
});

describe('failover behind the service', () => {
  it('delivers exactly the admitted sends through the secondary, none twice, when 50 arrive at once for one phone', async () => {
    const loaded = parseSettings({ NODE_ENV: 'test', RESEND_COOLDOWN_SECONDS: '0', SEND_LIMIT: '5' });
    if (!loaded.ok) throw new Error(loaded.errors.join());
    const primary = fake('twilio', () => 'fail');
    const secondary = fake('vonage');
    const service = createService(loaded.settings, {
      codes: createMemoryCodeStore(),
      limits: createMemorySendLimitStore(),
      sender: failoverOf([primary, secondary], { breaker: { failures: 1000, halfOpenAfterMs: 60_000 } }),
      clock: createManualClock(),
      hasher: await createCodeHasher(['failover-secret-0123456789']),
      logger: capturingLogger(),
    });
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => call(service.app, 'POST', '/v1/verifications', { phone: '+14155552671' })),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(5);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(45);
    expect(secondary.received).toHaveLength(5);
    expect(new Set(secondary.received.map((m) => m.text)).size).toBe(5);
    expect(primary.requests()).toBe(5);
  });
});
