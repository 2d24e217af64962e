// Fresh databases on the test server, each with the adapter's indexes, all dropped at the end.
import { type Db, MongoClient } from 'mongodb';
import { inject } from 'vitest';
import { createLeaseLock, hasAtomicUpdates, type KeyLock } from '../../src/adapters/mongodb/compat/key-lock.ts';
import { serialised } from '../../src/adapters/mongodb/compat/serialised.ts';
import { ensureIndexes } from '../../src/adapters/mongodb/indexes.ts';
import { createMongoCodeStore } from '../../src/adapters/mongodb/mongo-code-store.ts';
import { createMongoEventOutbox } from '../../src/adapters/mongodb/mongo-event-outbox.ts';
import { createMongoFraudStore } from '../../src/adapters/mongodb/mongo-fraud-store.ts';
import { createMongoLimitLedger } from '../../src/adapters/mongodb/mongo-limit-ledger.ts';
import { createSendLimitEngine } from '../../src/application/limit-engine.ts';

export const mongo = inject('mongo');

let client: MongoClient | null = null;
const created: string[] = [];
let counter = 0;

export async function testClient(): Promise<MongoClient> {
  client ??= await new MongoClient(mongo.uri!, { serverSelectionTimeoutMS: 5000 }).connect();
  return client;
}

/** A new, empty database with the adapter's indexes. */
export async function freshDb(): Promise<Db> {
  const name = `smsv_test_${process.pid}_${Date.now().toString(36)}_${++counter}`;
  created.push(name);
  const db = (await testClient()).db(name);
  await ensureIndexes(db);
  return db;
}

export async function dropTestDbs(): Promise<void> {
  if (!client) return;
  for (const name of created.splice(0))
    await client
      .db(name)
      .dropDatabase()
      .catch(() => undefined);
  await client.close();
  client = null;
}

/** The lease lock of the compat path on a server that needs it (FerretDB), or null on MongoDB. */
export async function lockFor(db: Db): Promise<KeyLock | null> {
  return (await hasAtomicUpdates(db)).atomic ? null : createLeaseLock(db);
}

/** The stores on a fresh database as createMongoStores builds them for this server (compat/ where it needs it). */
export async function freshStores() {
  const db = await freshDb();
  const lock = await lockFor(db);
  const plain = {
    codes: createMongoCodeStore(db),
    ledger: createMongoLimitLedger(db),
    fraud: createMongoFraudStore(db),
  };
  const chosen = lock ? serialised(plain, lock) : plain;
  return {
    db,
    ...chosen,
    limits: createSendLimitEngine(chosen.ledger),
    outbox: createMongoEventOutbox(db, lock ?? undefined),
  };
}
