// The IdempotencyStore port: Idempotency-Key claims, so a retried send replays its first answer.

/** An answer as it will be replayed. */
export interface StoredResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  /** The headers a replay must carry as well (Location, Retry-After); absent when none. */
  readonly headers?: Readonly<Record<string, string>>;
}

export type IdempotencyClaim =
  /** The caller owns the key now: it runs the request, then completes or releases the claim. */
  | { readonly outcome: 'claimed'; readonly token: string }
  /** Another request with this key and body is still running. */
  | { readonly outcome: 'in_progress' }
  /** The key was used with another body. */
  | { readonly outcome: 'mismatch' }
  | { readonly outcome: 'replay'; readonly response: StoredResponse };

/**
 * Exact across processes: of any number of concurrent claims of one key exactly one is
 * `claimed`. A claim lives `ttlMs` from when it was made; one left in progress by a process that
 * died can be taken over after `leaseMs`.
 */
export interface IdempotencyStore {
  claim(key: string, fingerprint: string, now: Date, ttlMs: number, leaseMs: number): Promise<IdempotencyClaim>;
  /** Stores the answer of the claim `token` owns; replays of the key return it until the claim expires. */
  complete(key: string, token: string, response: StoredResponse): Promise<void>;
  /** Gives the key up (the request failed in a way a retry should redo); a claim not owned is left alone. */
  release(key: string, token: string): Promise<void>;
  /** Resolves when the store answers; rejects with StoreUnavailableError otherwise. */
  ping(): Promise<void>;
}
