// Durable Objects as a backend, for Cloudflare Workers: every store port, sharded over one class's objects.
import { createSendLimitEngine } from '../../application/limit-engine.ts';
import { shardQuotas } from '../../application/sharded-quotas.ts';
import { defineStore } from '../../ports/adapter-descriptor.ts';
import { int } from '../settings/schemas.ts';
import { createDurableObjectStores } from './durable-object-stores.ts';

/** The binding name the Worker's configuration gives the store class (wrangler.jsonc). */
export const STORE_BINDING = 'STORE';
/** The daily budget's counters: every send charges it, so one object would serialise them all. */
export const QUOTA_SHARDS = 4;

export const durableObjectsStore = defineStore({
  name: 'durable-objects',
  settings: { DO_SHARDS: int(1, 1024, 16) },
  // The Workers entry's only store: its binding is not a text setting, so it is checked at build.
  configuredBy: () => true,
  requires: `a Durable Object binding named ${STORE_BINDING}`,
  where: (s) => `${s.DO_SHARDS} shards a port`,
  async build(s, { bindings }) {
    const namespace = bindings?.[STORE_BINDING];
    if (!namespace) throw new Error(`no Durable Object binding named ${STORE_BINDING}`);
    const stores = createDurableObjectStores(namespace as never, { shards: s.DO_SHARDS });
    return { ...stores, limits: createSendLimitEngine(shardQuotas(stores.ledger, QUOTA_SHARDS)) };
  },
});
