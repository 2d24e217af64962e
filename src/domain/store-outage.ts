// Telling a store outage (an expected failure, SMS_009) from a bug.

/**
 * Whether `error` is the StoreUnavailableError of the store ports. Matched by name, not by
 * `instanceof`, so that the domain needs no run-time import of a port, and an adapter built
 * against another copy of this package is still recognised.
 */
export const isStoreUnavailable = (error: unknown): boolean =>
  error instanceof Error && error.name === 'StoreUnavailableError';
