// The verification use cases bound to their dependencies, with store outages turned into values.

import type { DomainError, ErrorName, Result } from '../domain/errors.ts';
import { isStoreUnavailable } from '../domain/store-outage.ts';
import type { DeliveryReport } from '../domain/verification/delivery.ts';
import { cancelVerification } from './cancel-verification.ts';
import { CHECK_ERRORS, type CheckInput, checkVerification } from './check-verification.ts';
import { LIFT_ERRORS, liftBlock, listBlocks } from './fraud-admin.ts';
import { getVerification, LOOKUP_ERRORS } from './get-verification.ts';
import { recordDelivery } from './record-delivery.ts';
import { START_ERRORS, type StartInput, startVerification } from './start-verification.ts';
import type { VerifierDeps } from './verifier-deps.ts';

export type Verifier = ReturnType<typeof createVerifier>;

/** What each bound use case can answer: its own errors, and a store outage from any of them. */
export const USE_CASE_ERRORS = {
  start: [...START_ERRORS, 'STORE_UNAVAILABLE'],
  check: [...CHECK_ERRORS, 'STORE_UNAVAILABLE'],
  get: [...LOOKUP_ERRORS, 'STORE_UNAVAILABLE'],
  cancel: [...LOOKUP_ERRORS, 'STORE_UNAVAILABLE'],
  recordDelivery: ['STORE_UNAVAILABLE'],
  listBlocks: ['STORE_UNAVAILABLE'],
  liftBlock: [...LIFT_ERRORS, 'STORE_UNAVAILABLE'],
} as const satisfies Record<string, readonly ErrorName[]>;

/** Binds the use cases to `deps`. A StoreUnavailableError from any store becomes SMS_009. */
export function createVerifier(deps: VerifierDeps) {
  return {
    start: (input: StartInput) => guarded(() => startVerification(deps, input)),
    check: (input: CheckInput) => guarded(() => checkVerification(deps, input)),
    get: (phone: string) => guarded(() => getVerification(deps, phone)),
    cancel: (phone: string, createdAt?: Date) => guarded(() => cancelVerification(deps, phone, createdAt)),
    recordDelivery: (report: DeliveryReport) => guarded(() => recordDelivery(deps, report)),
    listBlocks: () => guarded(() => listBlocks(deps)),
    liftBlock: (prefix: string) => guarded(() => liftBlock(deps, prefix)),
  };
}

/** The answer to a store outage, keeping its cause for the log. */
export const storeUnavailable = (cause: unknown): DomainError<'STORE_UNAVAILABLE'> => ({
  name: 'STORE_UNAVAILABLE',
  detail: 'The store is unavailable; nothing was half-written. Try again.',
  cause,
});

async function guarded<T, N extends ErrorName>(
  run: () => Promise<Result<T, N>>,
): Promise<Result<T, N | 'STORE_UNAVAILABLE'>> {
  try {
    return await run();
  } catch (error) {
    if (isStoreUnavailable(error)) return { ok: false, error: storeUnavailable(error) };
    throw error;
  }
}
