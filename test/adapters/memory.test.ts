// The in-memory adapters against their port contracts, plus what only they promise (bounded memory).
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/adapters/clock/manual-clock.ts';
import { systemClock } from '../../src/adapters/clock/system-clock.ts';
import { createMemoryAttemptStore } from '../../src/adapters/keyed-stores/memory-attempt-store.ts';
import { createMemoryCodeStore } from '../../src/adapters/keyed-stores/memory-code-store.ts';
import { createMemoryEventOutbox } from '../../src/adapters/keyed-stores/memory-event-outbox.ts';
import { createMemoryFraudStore } from '../../src/adapters/keyed-stores/memory-fraud-store.ts';
import { createMemoryIdempotencyStore } from '../../src/adapters/keyed-stores/memory-idempotency-store.ts';
import { createMemoryLimitLedger } from '../../src/adapters/keyed-stores/memory-limit-ledger.ts';
import { createMemorySafeListStore } from '../../src/adapters/keyed-stores/memory-safe-list-store.ts';
import { createMemorySendLimitStore } from '../../src/adapters/memory/memory-send-limit-store.ts';
import { createRecordingSender } from '../../src/adapters/memory/recording-sender.ts';
import { createSendLimitEngine } from '../../src/application/limit-engine.ts';
import { scopeCodeStore, scopeSendLimits } from '../../src/application/service-scope.ts';
import { attemptStoreContract } from '../contract/attempt-store.contract.ts';
import { clockContract } from '../contract/clock.contract.ts';
import { codeStoreContract } from '../contract/code-store.contract.ts';
import { eventOutboxContract } from '../contract/event-outbox.contract.ts';
import { fraudStoreContract } from '../contract/fraud-store.contract.ts';
import { idempotencyStoreContract } from '../contract/idempotency-store.contract.ts';
import { limitLedgerContract } from '../contract/limit-ledger.contract.ts';
import { messageSenderContract } from '../contract/message-sender.contract.ts';
import { safeListStoreContract } from '../contract/safe-list-store.contract.ts';
import { sendLimitStoreContract } from '../contract/send-limit-store.contract.ts';
import { aRecord, at, limitFields } from '../support/records.ts';

codeStoreContract('memory', { fresh: async () => createMemoryCodeStore() });
idempotencyStoreContract('memory', { fresh: async () => createMemoryIdempotencyStore() });
fraudStoreContract('memory', { fresh: async () => createMemoryFraudStore() });
sendLimitStoreContract('memory', {
  fresh: async () => createMemorySendLimitStore(),
  capabilities: { atomicAcrossLimits: true },
});
limitLedgerContract('memory', { fresh: async () => createMemoryLimitLedger() });
sendLimitStoreContract('limit engine over the memory ledger', {
  fresh: async () => createSendLimitEngine(createMemoryLimitLedger()),
  capabilities: { atomicAcrossLimits: false },
});
// A non-default service's view of the same stores (SERVICES_FILE) keeps every promise of the port.
const SERVICE = `VA${'5e'.repeat(16)}`;
codeStoreContract('memory, scoped to a service', {
  fresh: async () => scopeCodeStore(createMemoryCodeStore(), SERVICE),
});
sendLimitStoreContract('memory, scoped to a service', {
  fresh: async () => scopeSendLimits(createMemorySendLimitStore(), SERVICE),
  capabilities: { atomicAcrossLimits: true },
});
messageSenderContract('recording (test fake)', {
  capabilities: { canFail: true },
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
      ...limitFields(`phone:${i}`),
      limit: 5,
      windowMs: 3_600_000,
      cooldownMs: 0,
    });
    for (let i = 0; i < 5000; i++) await store.admit(`c${i}`, [limit(i)], at(i * 4000));
    expect(store.size()).toBeLessThan(1100);
  });

  it('keeps at most maxEntries live verifications: expired ones go first, then the oldest, with a warning', async () => {
    const evictions: number[] = [];
    const store = createMemoryCodeStore({ maxEntries: 1000, onEvict: (n) => void evictions.push(n) });
    const phone = (i: number) => `+1415555${String(i).padStart(4, '0')}`;
    // 200 sent long ago and expired (not yet purged), then live ones, all sent before `now`.
    for (let i = 0; i < 200; i++)
      await store.put(aRecord({ phone: phone(i), createdAt: at(0), expiresAt: at(600), purgeAt: at(90_000) }));
    for (let i = 200; i < 5000; i++)
      await store.put(aRecord({ phone: phone(i), createdAt: at(700), expiresAt: at(1300), purgeAt: at(90_000) }));
    expect(store.size()).toBeLessThanOrEqual(1000);
    expect(evictions.length).toBeGreaterThan(0);
    // The newest are kept; the oldest live ones and every expired one are gone.
    expect(await store.get(phone(4999), at(700))).not.toBeNull();
    expect(await store.get(phone(200), at(700))).toBeNull();
    expect(await store.get(phone(0), at(700))).toBeNull();
  });

  it('counts a resend as new: the phone sent again most recently is kept longest', async () => {
    const store = createMemoryCodeStore({ maxEntries: 1000 });
    const phone = (i: number) => `+1415555${String(i).padStart(4, '0')}`;
    for (let i = 0; i < 1000; i++) await store.put(aRecord({ phone: phone(i), createdAt: at(0), purgeAt: at(90_000) }));
    await store.put(aRecord({ phone: phone(0), createdAt: at(1), purgeAt: at(90_000) }));
    for (let i = 1000; i < 1100; i++)
      await store.put(aRecord({ phone: phone(i), createdAt: at(1), purgeAt: at(90_000) }));
    expect(await store.get(phone(0), at(1))).not.toBeNull();
    expect(await store.get(phone(1), at(1))).toBeNull();
  });

  it('keeps at most maxEntries send-limit keys, refused sends included', async () => {
    const evictions: number[] = [];
    const store = createMemorySendLimitStore({ maxEntries: 1000, onEvict: (n) => void evictions.push(n) });
    const limit = (i: number) =>
      ({ kind: 'window', ...limitFields(`phone:${i}`), limit: 1, windowMs: 3_600_000, cooldownMs: 0 }) as const;
    for (let i = 0; i < 5000; i++) await store.admit(`c${i}`, [limit(i)], at(i));
    expect(store.size()).toBeLessThanOrEqual(1000);
    expect(evictions.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(4000);
    // The newest key still refuses its second send.
    expect((await store.admit('again', [limit(4999)], at(5000))).admitted).toBe(false);
  });
});
attemptStoreContract('memory', { fresh: async () => createMemoryAttemptStore() });
safeListStoreContract('memory', { fresh: async () => createMemorySafeListStore() });
eventOutboxContract('memory', { fresh: async () => createMemoryEventOutbox() });
