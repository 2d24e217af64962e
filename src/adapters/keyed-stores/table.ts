// Where a memory store keeps its entries: a Map by default, or any keyed table with the same reads
// and writes (a Durable Object's storage), so one set of store rules serves both.

/**
 * The part of `Map<string, V>` the stores use. Values are replaced, never changed in place, so a
 * table that copies what it is given (persistent storage) sees every write.
 */
export interface Table<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): unknown;
  delete(key: string): boolean;
  readonly size: number;
  [Symbol.iterator](): Iterator<[string, V]>;
}

export const mapTable = <V>(): Table<V> => new Map<string, V>();
