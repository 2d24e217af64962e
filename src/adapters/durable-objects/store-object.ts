// The Durable Object behind every store port: the memory stores' rules over the object's own storage.
import { DurableObject } from 'cloudflare:workers';
import { createMemoryAttemptStore } from '../keyed-stores/memory-attempt-store.ts';
import { createMemoryCodeStore } from '../keyed-stores/memory-code-store.ts';
import { createMemoryEventOutbox } from '../keyed-stores/memory-event-outbox.ts';
import { createMemoryFraudStore } from '../keyed-stores/memory-fraud-store.ts';
import { createMemoryIdempotencyStore } from '../keyed-stores/memory-idempotency-store.ts';
import { createMemoryLimitLedger } from '../keyed-stores/memory-limit-ledger.ts';
import { createMemorySafeListStore } from '../keyed-stores/memory-safe-list-store.ts';
import { createIndex } from './index-table.ts';
import { kvTable } from './kv-table.ts';
import type { SyncKv } from './platform.ts';

/** The ports an object can hold; the Worker side decides which object holds which key. */
const PORTS = {
  codes: (kv: SyncKv) =>
    createMemoryCodeStore({
      // Storage is durable and large: nothing is evicted, purged records go as they pass purgeAt.
      maxEntries: Number.POSITIVE_INFINITY,
      tables: { records: kvTable(kv, 'codes/r/'), byMessageId: kvTable(kv, 'codes/m/') },
    }),
  ledger: (kv: SyncKv) => createMemoryLimitLedger(kvTable(kv, 'ledger/')),
  idempotency: (kv: SyncKv) => createMemoryIdempotencyStore(kvTable(kv, 'idempotency/')),
  fraud: (kv: SyncKv) => createMemoryFraudStore({ counters: kvTable(kv, 'fraud/c/'), blocks: kvTable(kv, 'fraud/b/') }),
  index: (kv: SyncKv) => createIndex(kvTable(kv, 'index/')),
  attempts: (kv: SyncKv) =>
    createMemoryAttemptStore({
      maxEntries: 1_000_000,
      tables: {
        attempts: kvTable(kv, 'attempts/a/'),
        byMessageId: kvTable(kv, 'attempts/m/'),
        byVerification: kvTable(kv, 'attempts/v/'),
      },
    }),
  safeList: (kv: SyncKv) => createMemorySafeListStore(kvTable(kv, 'safe-list/')),
  outbox: (kv: SyncKv) => createMemoryEventOutbox({ table: kvTable(kv, 'outbox/') }),
};
export type PortName = keyof typeof PORTS;

/**
 * One object is one shard of keys. Each port method runs to completion without awaiting anything
 * but synchronous storage, so no other call interleaves: each is one transaction of this object,
 * which is what makes a phone's verification, a limit key or a prefix's counters exact.
 */
export class StoreObject<Env = unknown> extends DurableObject<Env> {
  readonly #ports = new Map<PortName, Record<string, (...args: unknown[]) => Promise<unknown>>>();

  async call(port: PortName, method: string, args: unknown[]): Promise<unknown> {
    let store = this.#ports.get(port);
    if (!store) {
      const build = PORTS[port];
      if (!build) throw new Error(`no store port ${String(port)}`);
      store = build(this.ctx.storage.kv) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
      this.#ports.set(port, store);
    }
    const run = store[method];
    if (typeof run !== 'function' || method === 'size') throw new Error(`no method ${port}.${method}`);
    return run(...args);
  }
}
