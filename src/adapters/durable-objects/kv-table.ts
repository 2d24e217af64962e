// A memory store's Table over a Durable Object's synchronous storage: the same rules, kept on disk.
import type { Table } from '../keyed-stores/table.ts';
import type { SyncKv } from './platform.ts';

/**
 * Entries under `prefix` in the object's storage. Every write goes to storage at once (the object's
 * output gate holds the answer until it is durable); the count is read once and then kept, because
 * the stores ask for it on every write. Iteration reads a snapshot, so a store may write while it
 * walks its entries.
 */
export function kvTable<V>(kv: SyncKv, prefix: string): Table<V> {
  const name = (key: string) => prefix + key;
  let count: number | undefined;
  const entries = () =>
    [...kv.list({ prefix })].map(([key, value]): [string, V] => [key.slice(prefix.length), value as V]);
  return {
    get: (key) => kv.get(name(key)) as V | undefined,
    set(key, value) {
      if (count !== undefined && kv.get(name(key)) === undefined) count += 1;
      kv.put(name(key), value);
    },
    delete(key) {
      const existed = kv.delete(name(key));
      if (existed && count !== undefined) count -= 1;
      return existed;
    },
    get size() {
      count ??= [...kv.list({ prefix })].length;
      return count;
    },
    [Symbol.iterator]: () => entries()[Symbol.iterator](),
  };
}
