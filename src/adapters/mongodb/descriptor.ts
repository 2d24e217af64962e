// MongoDB as a backend: its settings and every store on one client, with TTL indexes (or the sweeper).
import * as v from 'valibot';
import { defineStore } from '../../ports/adapter-descriptor.ts';
import { int } from '../settings/schemas.ts';

export const mongodbStore = defineStore({
  name: 'mongodb',
  settings: {
    MONGODB_URI: v.optional(
      v.pipe(
        v.string(),
        v.regex(/^mongodb(\+srv)?:\/\/\S+$/, 'must be a mongodb:// or mongodb+srv:// connection string'),
      ),
    ),
    MONGODB_DB: v.optional(v.pipe(v.string(), v.regex(/^[^/\\. "$]{1,63}$/, 'must be a MongoDB database name'))),
    MONGODB_TIMEOUT_MS: int(100, 60_000, 3000),
    MONGODB_RECONNECT_SECONDS: int(5, 3600, 30),
  },
  configuredBy: (input) => Boolean(input['MONGODB_URI']),
  requires: 'MONGODB_URI',
  // The hosts of the connection string, without user, password, database or options.
  where: (s) => (s.MONGODB_URI ?? '').replace(/^mongodb(\+srv)?:\/\/([^@/]*@)?/, '').replace(/[/?].*$/, ''),
  async build(s, { logger, clock, attemptsRetentionMs }) {
    // The driver runs on Node only: loaded when MongoDB is the store, so the registry stays Web-only.
    const { createMongoStores } = await import('./mongo-stores.ts');
    const stores = await createMongoStores({
      uri: s.MONGODB_URI!,
      dbName: s.MONGODB_DB,
      clock,
      warn: (message, fields) => logger.warn(fields ?? {}, `WARNING: ${message}`),
      serverSelectionTimeoutMs: s.MONGODB_TIMEOUT_MS,
      reconnectAfterMs: s.MONGODB_RECONNECT_SECONDS * 1000,
      attemptsRetentionMs,
    });
    logger.info(
      { server: stores.server, database: stores.databaseName, ttlIndexes: stores.indexes.ttl },
      'MongoDB stores ready',
    );
    return stores;
  },
});
