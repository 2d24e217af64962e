// The in-memory adapters against their port contracts, plus what only they promise (bounded memory).
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/adapters/clock/manual-clock.ts';
import { systemClock } from '../../src/adapters/clock/system-clock.ts';
import { createMemoryCodeStore } from '../../src/adapters/memory/memory-code-store.ts';
import { createMemoryLimitLedger } from '../../src/adapters/memory/memory-limit-ledger.ts';
import { createMemorySendLimitStore } from '../../src/adapters/memory/memory-send-limit-store.ts';
import { createRecordingSender } from '../../src/adapters/memory/recording-sender.ts';
import { createSendLimitEngine } from '../../src/domain/limit-engine.ts';
import { clockContract } from '../contract/clock.contract.ts';
import { codeStoreContract } from '../contract/code-store.contract.ts';
import { sendLimitStoreContract } from '../contract/send-limit-store.contract.ts';
import { smsSenderContract } from '../contract/sms-sender.contract.ts';
import { aRecord, at } from '../support/records.ts';

codeStoreContract('memory', { fresh: async () => createMemoryCodeStore() });
sendLimitStoreContract('memory', {
  fresh: async () => createMemorySendLimitStore(),
  capabilities: { atomicAcrossLimits: true },
});
sendLimitStoreContract('limit engine over the memory ledger', {
  fresh: async () => createSendLimitEngine(createMemoryLimitLedger()),
  capabilities: { atomicAcrossLimits: false },
});
smsSenderContract('recording (test fake)', {
  fresh: async () => {
    const sender = createRecordingSender();
    const faults = {
      refuseNext: () =>
        sender.failNext({ ok: false, reason: 'destination_refused', providerCode: '21614', detail: 'not SMS-capable' }),
      failNext: () =>
        sender.failNext({ ok: false, reason: 'provider_failed', providerCode: '500', detail: 'provider down' }),
    };
    return { sender, received: async () => sender.sent, faults };
  },
});
clockContract('system', () => systemClock);
clockContract('manual', () => createManualClock());

describe('memory stores stay bounded', () => {
  it('drops purged verifications as new ones arrive', async () => {
    const store = createMemoryCodeStore();
    for (let i = 0; i < 5000; i++) {
      await store.put(
        aRecord({
          phone: `+1415555${String(i).padStart(4, '0')}`,
          createdAt: at(i * 2000),
          purgeAt: at(i * 2000 + 1200),
        }),
      );
    }
    expect(store.size()).toBeLessThan(1100);
  });

  it('drops send buckets whose window has passed', async () => {
    const store = createMemorySendLimitStore();
    const limit = (i: number) => ({
      kind: 'window' as const,
      key: `phone:${i}`,
      limit: 5,
      windowMs: 3_600_000,
      cooldownMs: 0,
    });
    for (let i = 0; i < 5000; i++) await store.admit(`c${i}`, [limit(i)], at(i * 4000));
    expect(store.size()).toBeLessThan(1100);
  });
});
