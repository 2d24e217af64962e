// The one error a store adapter throws (part of every store port's contract): the store did not answer.

/** Thrown by store adapters for any driver failure; keeps the cause and names the adapter. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(
    readonly adapter: string,
    options: { cause: unknown },
  ) {
    super(`${adapter} store unavailable: ${describe(options.cause)}`, options);
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
