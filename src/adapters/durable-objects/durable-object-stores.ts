// The store ports on Durable Objects, Worker side: each call goes to the object that holds its key.
import type { Stores } from '../../ports/adapter-descriptor.ts';
import type { AttemptStore } from '../../ports/attempt-store.ts';
import type { CodeStore } from '../../ports/code-store.ts';
import type { EventOutbox } from '../../ports/event-outbox.ts';
import type { FraudStore } from '../../ports/fraud-store.ts';
import type { IdempotencyStore } from '../../ports/idempotency-store.ts';
import type { LimitLedger } from '../../ports/limit-ledger.ts';
import type { SafeListStore } from '../../ports/safe-list-store.ts';
import { StoreUnavailableError } from '../../ports/store-unavailable.ts';
import type { DurableObjectNamespaceLike } from './platform.ts';
import type { PortName } from './store-object.ts';

/** Shards per port unless told: one object serves a few hundred writes a second. */
export const DEFAULT_SHARDS = 16;
/** How long a message id finds its verification for a delivery receipt. */
const MESSAGE_LINK_MS = 7 * 24 * 3_600_000;

export interface DurableObjectStoreOptions {
  readonly shards?: number;
  /** Put before every object's name: stores with different prefixes share nothing (tests, tenants). */
  readonly objectPrefix?: string;
}

/** FNV-1a: a stable, even spread of keys over shards, the same in every isolate. */
function shardOf(key: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % shards;
}

/**
 * The ledger and the limit engine live where the caller puts them (`createSendLimitEngine`); these
 * are the keyed stores. A key's every rule is one object's transaction: a phone's verification is
 * in the object of its phone, a limit key in the object of its key, a prefix's counters and block
 * in the object of the key. What needs every key (due workflow steps, the sealed-code sweep) asks
 * every shard; a message id finds its phone through index objects, running blocks through one.
 */
export function createDurableObjectStores(
  namespace: DurableObjectNamespaceLike,
  options: DurableObjectStoreOptions = {},
): Omit<Stores, 'limits'> & { ledger: LimitLedger } {
  const shards = options.shards ?? DEFAULT_SHARDS;
  const prefix = options.objectPrefix ?? '';
  const call = async <T>(object: string, port: PortName, method: string, args: unknown[]): Promise<T> => {
    try {
      // A stub per call: a stub is bound to the request that made it, and the stores outlive requests.
      return (await namespace.get(namespace.idFromName(prefix + object)).call(port, method, args)) as T;
    } catch (error) {
      throw new StoreUnavailableError('durable-objects', { cause: error });
    }
  };
  const on =
    (port: PortName) =>
    <T>(key: string, method: string, ...args: unknown[]) =>
      call<T>(`${port}/${shardOf(key, shards)}`, port, method, args);
  const everywhere = <T>(port: PortName, method: string, ...args: unknown[]) =>
    Promise.all(Array.from({ length: shards }, (_, n) => call<T>(`${port}/${n}`, port, method, args)));
  const codes = on('codes');
  const ledger = on('ledger');
  const idempotency = on('idempotency');
  const fraud = on('fraud');
  const messages = on('index');
  const BLOCKS = 'index/blocks';

  const codeStore: CodeStore = {
    get: (phone, now) => codes(phone, 'get', phone, now),
    put: (record) => codes(record.phone, 'put', record),
    restore: (phone, id, previous) => codes(phone, 'restore', phone, id, previous),
    recordWrongCheck: (phone, id, max, now) => codes(phone, 'recordWrongCheck', phone, id, max, now),
    approve: (phone, id, max, now, purgeAt) => codes(phone, 'approve', phone, id, max, now, purgeAt),
    async recordSend(phone, id, taken) {
      // The link first: a receipt that beats the send's record finds the phone and then no message.
      // The shard checks that the phone's record still has this message id, so a stale link is harmless.
      if (taken.messageId !== null) {
        const { time } = taken.attempt;
        const until = new Date(time.getTime() + MESSAGE_LINK_MS);
        await messages(taken.messageId, 'link', `message:${taken.messageId}`, phone, until, time);
      }
      return codes(phone, 'recordSend', phone, id, taken);
    },
    async recordDelivery(messageId, delivery) {
      const phone = await messages<string | null>(messageId, 'lookup', `message:${messageId}`);
      return phone === null ? false : codes(phone, 'recordDelivery', messageId, delivery);
    },
    remove: (phone, now, id) => codes(phone, 'remove', phone, now, id),
    async dueSteps(now, max, limit) {
      const found = await everywhere<{ phone: string; id: string; step: number }[]>(
        'codes',
        'dueSteps',
        now,
        max,
        limit,
      );
      return found.flat().slice(0, limit);
    },
    claimStep: (phone, id, step, now, nextAt) => codes(phone, 'claimStep', phone, id, step, now, nextAt),
    async eraseExpiredSeals(now) {
      return (await everywhere<number>('codes', 'eraseExpiredSeals', now)).reduce((a, b) => a + b, 0);
    },
    ping: () => call(BLOCKS, 'index', 'ping', []),
    close: async () => {},
  };

  const limitLedger: LimitLedger = {
    async read(limits, now) {
      // One call per object, whatever number of its keys a send reads (a phone, an IP, quota shards).
      const byObject = new Map<number, number[]>();
      limits.forEach((limit, i) => {
        const n = shardOf(limit.key, shards);
        byObject.set(n, [...(byObject.get(n) ?? []), i]);
      });
      const found: unknown[] = new Array(limits.length);
      await Promise.all(
        [...byObject].map(async ([n, at]) => {
          const read = await call<unknown[]>(`ledger/${n}`, 'ledger', 'read', [at.map((i) => limits[i]), now]);
          at.forEach((i, k) => {
            found[i] = read[k];
          });
        }),
      );
      return found as Awaited<ReturnType<LimitLedger['read']>>;
    },
    charge: (chargeId, snapshot, now) => ledger(snapshot.limit.key, 'charge', chargeId, snapshot, now),
    uncharge: (chargeId, limit) => ledger(limit.key, 'uncharge', chargeId, limit),
    ping: () => call(BLOCKS, 'index', 'ping', []),
    close: async () => {},
  };

  const idempotencyStore: IdempotencyStore = {
    claim: (key, fingerprint, now, ttlMs, leaseMs) => idempotency(key, 'claim', key, fingerprint, now, ttlMs, leaseMs),
    complete: (key, token, response) => idempotency(key, 'complete', key, token, response),
    release: (key, token) => idempotency(key, 'release', key, token),
    ping: () => call(BLOCKS, 'index', 'ping', []),
  };

  const fraudStore: FraudStore = {
    async count(change) {
      // Each key's change is atomic in its own object, which is all the port promises across keys.
      const counted = await Promise.all(
        change.keys.map((key) => fraud<unknown[]>(key, 'count', { ...change, keys: [key] })),
      );
      return counted.map((one) => one[0]) as Awaited<ReturnType<FraudStore['count']>>;
    },
    blockOf: (prefix) => fraud(prefix, 'blockOf', prefix),
    blocksOf: (prefixes) => Promise.all(prefixes.map((prefix) => fraud<never>(prefix, 'blockOf', prefix))),
    async block(block, now, keepUntil) {
      const made = await fraud<boolean>(block.prefix, 'block', block, now, keepUntil);
      if (made) await call(BLOCKS, 'index', 'link', [`block:${block.prefix}`, block.prefix, keepUntil, now]);
      return made;
    },
    async activeBlocks(now) {
      const names = await call<string[]>(BLOCKS, 'index', 'names', ['block:', now]);
      const blocks = await fraudStore.blocksOf(names.map((name) => name.slice('block:'.length)));
      return blocks
        .filter((b) => b !== null && b.until > now)
        .map((b) => b!)
        .sort((a, b) => b.since.getTime() - a.since.getTime());
    },
    lift: (prefix, now) => fraud(prefix, 'lift', prefix, now),
    ping: () => call(BLOCKS, 'index', 'ping', []),
  };

  /**
   * Ports whose every read needs every key (a page of attempts newest first, the due events, the
   * whole safe list) live in one object each: exact and simple, bounded by one object's pace.
   */
  const single = <T extends object>(port: PortName): T =>
    new Proxy({} as T, {
      get: (_target, method) =>
        typeof method === 'string' && method !== 'then'
          ? (...args: unknown[]) => call(`${port}/0`, port, method, args)
          : undefined,
    });

  return {
    codes: codeStore,
    ledger: limitLedger,
    idempotency: idempotencyStore,
    fraud: fraudStore,
    attempts: single<AttemptStore>('attempts'),
    safeList: single<SafeListStore>('safeList'),
    outbox: single<EventOutbox>('outbox'),
    close: async () => {},
  };
}
