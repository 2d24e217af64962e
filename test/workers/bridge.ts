// A test Worker: the Durable Object stores, called port method by port method over HTTP, so the
// contract suites (run on Node) test the adapter as it runs in workerd, storage and all.

import { QUOTA_SHARDS } from '../../src/adapters/durable-objects/descriptor.ts';
import { createDurableObjectStores } from '../../src/adapters/durable-objects/durable-object-stores.ts';
import type { DurableObjectNamespaceLike } from '../../src/adapters/durable-objects/platform.ts';
import { StoreObject } from '../../src/adapters/durable-objects/store-object.ts';
import { createSendLimitEngine } from '../../src/application/limit-engine.ts';
import { shardQuotas } from '../../src/application/sharded-quotas.ts';
import { fromWire, toWire } from '../support/wire.ts';

export class TestStore extends StoreObject {}

type Stores = ReturnType<typeof createDurableObjectStores>;
const built = new Map<string, Stores & { limits: ReturnType<typeof createSendLimitEngine> }>();

export default {
  async fetch(request: Request, env: { STORE: DurableObjectNamespaceLike }): Promise<Response> {
    const { store, port, method, args } = fromWire(await request.text()) as {
      store: string;
      port: 'codes' | 'ledger' | 'limits' | 'idempotency' | 'fraud' | 'attempts' | 'safeList' | 'outbox';
      method: string;
      args: unknown[];
    };
    let stores = built.get(store);
    if (!stores) {
      // Four shards, so that the tests cross shards with few keys; each store id its own objects.
      const made = createDurableObjectStores(env.STORE, { shards: 4, objectPrefix: `${store}:` });
      // As the descriptor builds it: the engine over the ledger with its quotas in shards.
      stores = { ...made, limits: createSendLimitEngine(shardQuotas(made.ledger, QUOTA_SHARDS)) };
      built.set(store, stores);
    }
    try {
      const target = stores[port] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
      const value = await target[method]!(...args);
      return new Response(toWire({ ok: true, value }));
    } catch (error) {
      return new Response(toWire({ ok: false, name: (error as Error).name, message: (error as Error).message }));
    }
  },
};
