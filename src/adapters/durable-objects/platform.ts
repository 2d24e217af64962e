// The Workers platform as this adapter sees it: structural types, so nothing here needs workerd's own.

/** `ctx.storage.kv` of a SQLite-backed Durable Object: synchronous, each call its own transaction. */
export interface SyncKv {
  get(key: string): unknown;
  put(key: string, value: unknown): void;
  delete(key: string): boolean;
  list(options?: { prefix?: string }): Iterable<[string, unknown]>;
}

export interface DurableObjectStateLike {
  readonly storage: {
    readonly kv: SyncKv;
    getAlarm(): Promise<number | null>;
    setAlarm(at: number): Promise<void>;
  };
}

/** What the stores call on an object: one port method, by name, with structured-clone arguments. */
export interface StoreStub {
  call(port: string, method: string, args: unknown[]): Promise<unknown>;
}

export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  get(id: unknown): StoreStub;
}
