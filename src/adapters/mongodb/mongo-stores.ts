// Connects to MongoDB and builds every store on one client, with the FerretDB compat path and TTL fallback where the server needs them.
import { MongoClient } from 'mongodb';
import { createSendLimitEngine } from '../../application/limit-engine.ts';
import type { AttemptStore } from '../../ports/attempt-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { CodeStore } from '../../ports/code-store.ts';
import type { EventOutbox } from '../../ports/event-outbox.ts';
import type { FraudStore } from '../../ports/fraud-store.ts';
import type { IdempotencyStore } from '../../ports/idempotency-store.ts';
import type { SafeListStore } from '../../ports/safe-list-store.ts';
import type { SendLimitStore } from '../../ports/send-limit-store.ts';
import { createLeaseLock, hasAtomicUpdates, LOCKS_COLLECTION } from './compat/key-lock.ts';
import { serialised } from './compat/serialised.ts';
import { type Sweeper, startSweeper } from './compat/sweeper.ts';
import { withDeadline } from './deadline.ts';
import { guard } from './driver-errors.ts';
import { ensureIndexes, type IndexReport } from './indexes.ts';
import { createMongoAttemptStore } from './mongo-attempt-store.ts';
import { createMongoCodeStore } from './mongo-code-store.ts';
import { createMongoEventOutbox } from './mongo-event-outbox.ts';
import { createMongoFraudStore } from './mongo-fraud-store.ts';
import { createMongoIdempotencyStore } from './mongo-idempotency-store.ts';
import { createMongoLimitLedger } from './mongo-limit-ledger.ts';
import { createMongoSafeListStore } from './mongo-safe-list-store.ts';
import { type Reconnector, startReconnector } from './reconnect.ts';

export interface MongoStoresOptions {
  readonly uri: string;
  /** Database name; default: the one in the URI, else `sms_verify`. */
  readonly dbName?: string | undefined;
  readonly clock: Clock;
  /** Receives the one start-up warning (TTL fallback) and sweeper failures. */
  readonly warn: (message: string, fields?: Record<string, unknown>) => void;
  /** How often the fallback sweeper runs. */
  readonly sweepIntervalMs?: number;
  /** Bounds server selection and every operation: how fast an outage answers SMS_009. */
  readonly serverSelectionTimeoutMs?: number;
  /** Pings that fail without a break for this long make the client reconnect; default 30 s. */
  readonly reconnectAfterMs?: number;
  /** How often the client is pinged for that; default 5 s. */
  readonly reconnectCheckMs?: number;
  /** For tests: the driver's command monitoring. */
  readonly monitorCommands?: boolean;
  /** How long send attempts are kept (ATTEMPTS_RETENTION_DAYS); default 30 days. */
  readonly attemptsRetentionMs?: number;
}

export interface MongoStores {
  readonly client: MongoClient;
  readonly codes: CodeStore;
  readonly limits: SendLimitStore;
  readonly idempotency: IdempotencyStore;
  readonly fraud: FraudStore;
  readonly attempts: AttemptStore;
  readonly safeList: SafeListStore;
  readonly outbox: EventOutbox;
  readonly indexes: IndexReport;
  /** The server, and whether writes are serialised by lease locks because its updates are not atomic. */
  readonly server: string;
  readonly locked: boolean;
  readonly databaseName: string;
  readonly sweeper: Sweeper | null;
  readonly reconnector: Reconnector;
  close(): Promise<void>;
}

export async function createMongoStores(options: MongoStoresOptions): Promise<MongoStores> {
  const timeout = options.serverSelectionTimeoutMs ?? 3000;
  const client = new MongoClient(options.uri, {
    serverSelectionTimeoutMS: timeout,
    connectTimeoutMS: timeout,
    // A frozen server holds a request until the socket times out: selection, connecting and each
    // round trip are bounded by the setting, and on MongoDB 6+ `withDeadline` bounds each whole
    // store operation by it (waiting for a pooled connection included). The pool's own check-out
    // timeout is left unset: behind the lease locks a burst rightly queues longer than a round trip.
    socketTimeoutMS: timeout,
    maxPoolSize: 50,
    monitorCommands: options.monitorCommands ?? false,
    appName: 'sms-verify',
  });
  const db = client.db(options.dbName ?? databaseIn(options.uri) ?? 'sms_verify');
  const { indexes, atomic, server } = await guard(async () => {
    await client.connect();
    const [indexes, updates] = await Promise.all([ensureIndexes(db), hasAtomicUpdates(db)]);
    if (!updates.atomic) await db.collection(LOCKS_COLLECTION).createIndex({ expires_at: 1 });
    return { indexes, ...updates };
  }).catch(async (error) => {
    await client.close().catch(() => undefined);
    throw error;
  });
  if (!atomic) {
    options.warn(
      `${server} does not apply conditional updates atomically: every write takes a per-key lease lock (slower, still exact).`,
    );
  }
  // As written for MongoDB 6+; on a server without atomic updates, behind lease locks (compat/).
  const plain = {
    codes: createMongoCodeStore(db),
    ledger: createMongoLimitLedger(db),
    fraud: createMongoFraudStore(db),
  };
  const lock = createLeaseLock(db);
  const chosen = atomic ? plain : serialised(plain, lock);
  // On MongoDB 6+ an operation is one or two driver calls, so the whole of it is bounded. Behind
  // lease locks an operation also waits its turn for a key, which under a burst rightly takes
  // longer than a round trip: there the socket and connect timeouts bound each call instead.
  const bounded = <S extends object>(store: S): S => (atomic ? withDeadline(store, timeout) : store);
  let sweeper: Sweeper | null = null;
  if (!indexes.ttl) {
    options.warn(
      'MongoDB server refused TTL indexes: expired documents are deleted by the service on an interval instead.',
      {
        refusal: indexes.ttlRefusal,
      },
    );
    sweeper = startSweeper(db, options.clock, options.sweepIntervalMs ?? 60_000, (error) =>
      options.warn('expired-document sweep failed', { cause: error instanceof Error ? error.message : String(error) }),
    );
  }
  const reconnector = startReconnector({
    client,
    ping: async () => {
      await db.command({ ping: 1 });
    },
    afterMs: options.reconnectAfterMs ?? 30_000,
    everyMs: options.reconnectCheckMs ?? 5000,
    warn: options.warn,
  });
  return {
    client,
    reconnector,
    codes: bounded(chosen.codes),
    limits: bounded(createSendLimitEngine(chosen.ledger)),
    idempotency: bounded(createMongoIdempotencyStore(db)),
    fraud: bounded(chosen.fraud),
    attempts: bounded(createMongoAttemptStore(db, options.attemptsRetentionMs)),
    safeList: bounded(createMongoSafeListStore(db)),
    outbox: bounded(createMongoEventOutbox(db, atomic ? undefined : lock)),
    indexes,
    server,
    locked: !atomic,
    databaseName: db.databaseName,
    sweeper,
    close: async () => {
      sweeper?.stop();
      reconnector.stop();
      await client.close();
    },
  };
}

/** The database named in a connection string (`mongodb://h1,h2/name?…`), if any. */
function databaseIn(uri: string): string | undefined {
  const name = /^mongodb(?:\+srv)?:\/\/[^/]*\/([^?]*)/.exec(uri)?.[1];
  return name ? decodeURIComponent(name) : undefined;
}
