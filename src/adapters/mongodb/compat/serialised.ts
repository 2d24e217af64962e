// The FerretDB 1.x workaround in one place: the MongoDB stores behind per-key lease locks.
import type { CodeStore } from '../../../ports/code-store.ts';
import type { FraudStore } from '../../../ports/fraud-store.ts';
import type { LimitLedger } from '../../../ports/limit-ledger.ts';
import type { MongoCodeStore } from '../mongo-code-store.ts';
import type { KeyLock } from './key-lock.ts';
import { serialisedCodeStore } from './serialised-code-store.ts';
import { serialisedFraudStore } from './serialised-fraud-store.ts';
import { serialisedLimitLedger } from './serialised-limit-ledger.ts';

/**
 * The stores as written for MongoDB 6+, made exact on a server that applies conditional updates
 * without isolation: every write to a key holds that key's lease lock. Chosen at start-up when
 * the server says it is such a server (`hasAtomicUpdates`); MongoDB never goes through here.
 */
export function serialised(
  stores: { codes: MongoCodeStore; ledger: LimitLedger; fraud: FraudStore },
  lock: KeyLock,
): { codes: CodeStore; ledger: LimitLedger; fraud: FraudStore } {
  return {
    codes: serialisedCodeStore(stores.codes, lock),
    ledger: serialisedLimitLedger(stores.ledger, lock),
    fraud: serialisedFraudStore(stores.fraud, lock),
  };
}
