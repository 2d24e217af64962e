// A use case cut at the shutdown deadline ends whole: shutdown waits for it, and a send that had
// not reached the provider by then takes its charges back rather than leaving them spent.

import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/adapters/clock/manual-clock.ts';
import { createMemoryCodeStore } from '../../src/adapters/keyed-stores/memory-code-store.ts';
import { createMemorySendLimitStore } from '../../src/adapters/memory/memory-send-limit-store.ts';
import { createCodeHasher } from '../../src/adapters/web-crypto/code-hasher.ts';
import { parseSettings } from '../../src/config/settings.ts';
import type { OutgoingMessage, SendOutcome } from '../../src/ports/message-sender.ts';
import { createService } from '../../src/service.ts';
import { call } from '../support/http.ts';
import { capturingLogger } from '../support/log-capture.ts';
import { limitFields } from '../support/records.ts';

const PHONE = '+14155552671';

async function serviceWithHeldSender() {
  const loaded = parseSettings({ SEND_LIMIT: '1', RESEND_COOLDOWN_SECONDS: '0' });
  if (!loaded.ok) throw new Error(loaded.errors.join());
  const handedOver: OutgoingMessage[] = [];
  const held: (() => void)[] = [];
  const limits = createMemorySendLimitStore();
  const clock = createManualClock();
  const service = createService(loaded.settings, {
    codes: createMemoryCodeStore(),
    limits,
    // Holds each message until released, as a slow provider would.
    sender: {
      provider: 'slow',
      channels: ['sms'],
      send: async (message): Promise<SendOutcome> => {
        handedOver.push(message);
        await new Promise<void>((done) => held.push(done));
        return { ok: true, provider: 'slow', messageId: null };
      },
    },
    hasher: await createCodeHasher(['drain-test-secret-0123456789']),
    clock,
    logger: capturingLogger(),
  });
  return { service, handedOver, held, limits, clock };
}

describe('draining use cases at shutdown', () => {
  it('settles only once every use case in flight has finished', async () => {
    const { service, held } = await serviceWithHeldSender();
    const send = call(service.app, 'POST', '/v1/verifications', { phone: PHONE });
    for (let i = 0; i < 50 && held.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    let settled = false;
    void service.settled().then(() => {
      settled = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    held[0]!();
    expect((await send).status).toBe(201);
    await service.settled();
    expect(settled).toBe(true);
  });

  it('after stopSending, hands no message over and charges nothing: the send answers SMS_008', async () => {
    const { service, handedOver, limits, clock } = await serviceWithHeldSender();
    service.stopSending();
    const cut = await call(service.app, 'POST', '/v1/verifications', { phone: PHONE });
    expect(cut).toMatchObject({ status: 502, body: { code: 'SMS_008' } });
    expect(handedOver).toEqual([]);
    // SEND_LIMIT is 1: the per-phone limit still has its one send.
    const phoneLimit = {
      kind: 'window',
      ...limitFields(`phone:${PHONE}`),
      limit: 1,
      windowMs: 3_600_000,
      cooldownMs: 0,
    } as const;
    expect((await limits.admit('probe', [phoneLimit], clock.now())).admitted).toBe(true);
  });
});
