// The Durable Object stores against every store port's contract, run inside workerd (Miniflare).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scopeCodeStore, scopeSendLimits } from '../../src/application/service-scope.ts';
import { attemptStoreContract } from '../contract/attempt-store.contract.ts';
import { codeStoreContract } from '../contract/code-store.contract.ts';
import { eventOutboxContract } from '../contract/event-outbox.contract.ts';
import { fraudStoreContract } from '../contract/fraud-store.contract.ts';
import { idempotencyStoreContract } from '../contract/idempotency-store.contract.ts';
import { limitLedgerContract } from '../contract/limit-ledger.contract.ts';
import { safeListStoreContract } from '../contract/safe-list-store.contract.ts';
import { sendLimitStoreContract } from '../contract/send-limit-store.contract.ts';
import { aRecord, T0 } from '../support/records.ts';
import { startWorkersBridge, type WorkersBridge } from '../support/workers-bridge.ts';

let started: Promise<WorkersBridge> | undefined;
const bridge = () => (started ??= startWorkersBridge());
const stores = async () => (await bridge()).stores();
afterAll(async () => {
  await (await started)?.close();
});

codeStoreContract('durable objects', { fresh: async () => (await stores()).codes });
limitLedgerContract('durable objects', { fresh: async () => (await stores()).ledger });
sendLimitStoreContract('limit engine over durable objects', {
  fresh: async () => (await stores()).limits,
  capabilities: { atomicAcrossLimits: false },
});
idempotencyStoreContract('durable objects', { fresh: async () => (await stores()).idempotency });
fraudStoreContract('durable objects', { fresh: async () => (await stores()).fraud });
attemptStoreContract('durable objects', { fresh: async () => (await stores()).attempts });
safeListStoreContract('durable objects', { fresh: async () => (await stores()).safeList });
eventOutboxContract('durable objects', { fresh: async () => (await stores()).outbox });
const SERVICE = `VA${'5e'.repeat(16)}`;
codeStoreContract('durable objects, scoped to a service', {
  fresh: async () => scopeCodeStore((await stores()).codes, SERVICE),
});
sendLimitStoreContract('durable objects, scoped to a service', {
  fresh: async () => scopeSendLimits((await stores()).limits, SERVICE),
  capabilities: { atomicAcrossLimits: false },
});

describe('durable object storage', () => {
  it('keeps verifications, limits and blocks across a restart of workerd (on disk, not in memory)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sms-verify-do-'));
    try {
      const first = await startWorkersBridge({ persistDir: dir });
      const record = aRecord({ phone: '+14155550142' });
      const limit = {
        kind: 'window' as const,
        scope: 'phone' as const,
        subject: record.phone,
        key: `phone:${record.phone}`,
        limit: 1,
        windowMs: 3_600_000,
        cooldownMs: 0,
      };
      const before = first.stores('kept');
      await before.codes.put(record);
      expect((await before.limits.admit('send-1', [limit], T0)).admitted).toBe(true);
      await first.close();

      const second = await startWorkersBridge({ persistDir: dir });
      const after = second.stores('kept');
      expect(await after.codes.get(record.phone, T0)).toEqual(record);
      // The window's one send is still charged: a second send in it is refused.
      expect((await after.limits.admit('send-2', [limit], T0)).admitted).toBe(false);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
