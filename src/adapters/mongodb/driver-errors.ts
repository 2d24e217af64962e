// Driver failures as the domain sees them: a duplicate key is a signal, anything else an outage.
import type { Db } from 'mongodb';
import { StoreUnavailableError } from '../../ports/store-unavailable.ts';

export const isDuplicateKey = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;

/** Runs a driver call; any failure becomes StoreUnavailableError, keeping its cause. */
export async function guard<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    throw new StoreUnavailableError('mongodb', { cause: error });
  }
}

/** Runs an upsert, retrying once when a concurrent insert of the same key won the race (E11000). */
export async function upsertWithRetry<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return run();
  }
}

/** A store's `ping`: the server answers, or StoreUnavailableError. */
export const pingOf = (db: Db) => () =>
  guard(async () => {
    await db.command({ ping: 1 });
  });
