// Fresh databases on the test server, each with the adapter's indexes, all dropped at the end.
import { type Db, MongoClient } from 'mongodb';
import { inject } from 'vitest';
import { ensureIndexes } from '../../src/adapters/mongodb/indexes.ts';
import { createLeaseLock, hasAtomicUpdates, type KeyLock, noKeyLock } from '../../src/adapters/mongodb/key-lock.ts';
import { createMongoCodeStore } from '../../src/adapters/mongodb/mongo-code-store.ts';
import { createMongoSendLimitStore } from '../../src/adapters/mongodb/mongo-limit-ledger.ts';

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

/** The lock the adapters use on this server: none on MongoDB, lease locks on FerretDB. */
export async function lockFor(db: Db): Promise<KeyLock> {
  return (await hasAtomicUpdates(db)).atomic ? noKeyLock : createLeaseLock(db);
}

/** Both stores on a fresh database, as createMongoStores would build them for this server. */
export async function freshStores() {
  const db = await freshDb();
  const lock = await lockFor(db);
  return { db, codes: createMongoCodeStore(db, lock), limits: createMongoSendLimitStore(db, lock) };
}
