// The MongoDB adapters against the port contracts on a real server, and what only a real server shows.
import { afterAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/adapters/clock/manual-clock.ts';
import { createRecordingSender } from '../../src/adapters/memory/recording-sender.ts';
import { createLeaseLock, LOCKS_COLLECTION, lockId } from '../../src/adapters/mongodb/compat/key-lock.ts';
import { serialisedLimitLedger } from '../../src/adapters/mongodb/compat/serialised-limit-ledger.ts';
import { startSweeper } from '../../src/adapters/mongodb/compat/sweeper.ts';
import { ensureIndexes } from '../../src/adapters/mongodb/indexes.ts';
import {
  ATTEMPTS_COLLECTION,
  type AttemptDocument,
  attemptQuery,
  createMongoAttemptStore,
} from '../../src/adapters/mongodb/mongo-attempt-store.ts';
import { CODES_COLLECTION, createMongoCodeStore } from '../../src/adapters/mongodb/mongo-code-store.ts';
import { createMongoIdempotencyStore } from '../../src/adapters/mongodb/mongo-idempotency-store.ts';
import { createMongoLimitLedger } from '../../src/adapters/mongodb/mongo-limit-ledger.ts';
import { createMongoSafeListStore } from '../../src/adapters/mongodb/mongo-safe-list-store.ts';
import { createMongoStores } from '../../src/adapters/mongodb/mongo-stores.ts';
import { createCodeHasher } from '../../src/adapters/web-crypto/code-hasher.ts';
import { createSendLimitEngine } from '../../src/application/limit-engine.ts';
import { scopeCodeStore, scopeSendLimits } from '../../src/application/service-scope.ts';
import { parseSettings } from '../../src/config/settings.ts';
import { StoreUnavailableError } from '../../src/ports/store-unavailable.ts';
import { createService } from '../../src/service.ts';
import { attemptStoreContract, SEEDED } from '../contract/attempt-store.contract.ts';
import { codeStoreContract } from '../contract/code-store.contract.ts';
import { eventOutboxContract } from '../contract/event-outbox.contract.ts';
import { fraudStoreContract } from '../contract/fraud-store.contract.ts';
import { idempotencyStoreContract } from '../contract/idempotency-store.contract.ts';
import { limitLedgerContract } from '../contract/limit-ledger.contract.ts';
import { safeListStoreContract } from '../contract/safe-list-store.contract.ts';
import { sendLimitStoreContract } from '../contract/send-limit-store.contract.ts';
import { freePort } from '../support/free-port.ts';
import { createHarness, PHONE } from '../support/harness.ts';
import { call } from '../support/http.ts';
import { capturingLogger } from '../support/log-capture.ts';
import { dropTestDbs, freshDb, freshStores, mongo } from '../support/mongo-test-db.ts';
import { aRecord, at, limitFields, T0 } from '../support/records.ts';

const onServer = mongo.uri !== null;
if (!onServer) console.log(`[skip] MongoDB adapter tests skipped: ${mongo.description}`);

afterAll(dropTestDbs);

describe.skipIf(!onServer)(`MongoDB adapters on ${mongo.description}`, () => {
  codeStoreContract(`mongodb on ${mongo.kind}`, { fresh: async () => (await freshStores()).codes });
  idempotencyStoreContract(`mongodb on ${mongo.kind}`, {
    fresh: async () => createMongoIdempotencyStore(await freshDb()),
  });
  fraudStoreContract(`mongodb on ${mongo.kind}`, {
    fresh: async () => (await freshStores()).fraud,
  });
  limitLedgerContract(`mongodb on ${mongo.kind}`, {
    fresh: async () => (await freshStores()).ledger,
  });
  sendLimitStoreContract(`mongodb on ${mongo.kind}`, {
    fresh: async () => (await freshStores()).limits,
    capabilities: { atomicAcrossLimits: false },
  });
  eventOutboxContract(`mongodb on ${mongo.kind}`, {
    fresh: async () => (await freshStores()).outbox,
  });
  safeListStoreContract(`mongodb on ${mongo.kind}`, {
    fresh: async () => createMongoSafeListStore(await freshDb()),
  });
  attemptStoreContract(`mongodb on ${mongo.kind}`, {
    fresh: async () => createMongoAttemptStore(await freshDb()),
  });

  describe('attempts', () => {
    it.skipIf(mongo.kind !== 'mongodb')(
      "pages a service's attempts newest first on an index, with no in-memory sort (explain on real MongoDB; FerretDB's plans differ)",
      async () => {
        const db = await freshDb();
        await ensureIndexes(db);
        const store = createMongoAttemptStore(db);
        for (const a of SEEDED) await store.add(a);
        const plan = JSON.stringify(
          await db
            .collection<AttemptDocument>(ATTEMPTS_COLLECTION)
            .find(attemptQuery({ serviceSid: SEEDED[10]!.serviceSid }))
            .sort({ created_at: -1, _id: -1 })
            .limit(51)
            .explain('queryPlanner'),
        );
        expect(plan).toContain('IXSCAN');
        expect(plan).not.toMatch(/"stage":"SORT"/);
        expect(plan).not.toContain('COLLSCAN');
      },
    );
  });

  // A non-default service's view of the same collections (SERVICES_FILE) keeps every promise of the port.
  const SERVICE = `VA${'5e'.repeat(16)}`;
  codeStoreContract(`mongodb on ${mongo.kind}, scoped to a service`, {
    fresh: async () => scopeCodeStore((await freshStores()).codes, SERVICE),
  });
  sendLimitStoreContract(`mongodb on ${mongo.kind}, scoped to a service`, {
    fresh: async () => scopeSendLimits((await freshStores()).limits, SERVICE),
    capabilities: { atomicAcrossLimits: false },
  });

  describe('storage layout', () => {
    it("keeps the replaced service's collection and field names, with BSON dates", async () => {
      const db = await freshDb();
      const record = aRecord();
      await createMongoCodeStore(db).put(record);
      const raw = await db.collection(CODES_COLLECTION).findOne({ phone_number: record.phone });
      expect(raw).toMatchObject({
        phone_number: record.phone,
        code_hash: record.codeHash,
        attempts: 0,
        verified: false,
        verified_at: null,
      });
      for (const field of ['created_at', 'expires_at', 'purge_at']) expect(raw?.[field]).toBeInstanceOf(Date);
      await createSendLimitEngine(createMongoLimitLedger(db)).admit(
        'c1',
        [{ kind: 'window', ...limitFields('phone:+1'), limit: 5, windowMs: 1000, cooldownMs: 0 }],
        T0,
      );
      const limitDoc = await db
        .collection<{ _id: string; expires_at: Date }>('sms_rate_limits')
        .findOne({ _id: 'phone:+1' });
      expect(limitDoc?.['expires_at']).toBeInstanceOf(Date);
    });

    it('creates its indexes idempotently, the phone index unique, accepting one the replaced service made', async () => {
      const db = await freshDb();
      await db.collection(CODES_COLLECTION).createIndex({ phone_number: 1 }, { unique: true });
      await ensureIndexes(db);
      await ensureIndexes(db);
      const indexes = await db.collection(CODES_COLLECTION).indexes();
      expect(indexes.find((i) => i.key['phone_number'] === 1)?.unique).toBe(true);
    });

    it.skipIf(mongo.kind !== 'mongodb')(
      'uses TTL indexes with expireAfterSeconds 0 on real MongoDB (FerretDB 1.x refuses TTL indexes)',
      async () => {
        const db = await freshDb();
        const report = await ensureIndexes(db);
        expect(report.ttl).toBe(true);
        const codes = await db.collection(CODES_COLLECTION).indexes();
        const limits = await db.collection('sms_rate_limits').indexes();
        expect(codes.find((i) => i.key['purge_at'] === 1)?.expireAfterSeconds).toBe(0);
        expect(limits.find((i) => i.key['expires_at'] === 1)?.expireAfterSeconds).toBe(0);
      },
    );

    it('reports whether the server took TTL indexes, and sweeps expired documents itself when it did not', async () => {
      const db = await freshDb();
      const report = await ensureIndexes(db);
      if (mongo.kind === 'ferretdb')
        expect(report).toMatchObject({ ttl: false, ttlRefusal: expect.stringMatching(/expireAfterSeconds/) });
      const codes = createMongoCodeStore(db);
      await codes.put(aRecord({ phone: '+14155550001', purgeAt: at(100) }));
      await codes.put(aRecord({ phone: '+14155550002', purgeAt: at(300) }));
      const clock = createManualClock(at(200));
      const sweeper = startSweeper(db, clock, 3_600_000, () => undefined);
      expect(await sweeper.sweep()).toBe(1);
      sweeper.stop();
      expect(await db.collection(CODES_COLLECTION).countDocuments()).toBe(1);
    });
  });

  describe('expiry is enforced on read, whatever is still stored', () => {
    it('refuses a code whose expiry has passed though its document is still there', async () => {
      const { db, codes, limits } = await freshStores();
      const h = await createHarness({ codes, limits });
      const code = await h.sendCode();
      h.clock.advance(601);
      expect(await db.collection(CODES_COLLECTION).countDocuments({ phone_number: PHONE })).toBe(1);
      expect(await h.verifier.check({ phone: PHONE, code })).toMatchObject({
        ok: false,
        error: { name: 'CODE_EXPIRED' },
      });
      h.clock.advance(86_400);
      expect(await db.collection(CODES_COLLECTION).countDocuments({ phone_number: PHONE })).toBe(1);
      expect(await h.verifier.get(PHONE)).toMatchObject({ ok: false, error: { name: 'NOT_FOUND' } });
    });
  });

  describe('races on the server', () => {
    it('survives 20 parallel first sends to one phone (unique index, one retry on E11000)', async () => {
      const { db, codes: store } = await freshStores();
      const records = Array.from({ length: 20 }, () => aRecord({ phone: '+14155550009' }));
      await Promise.all(records.map((r) => store.put(r)));
      expect(await db.collection(CODES_COLLECTION).countDocuments({ phone_number: '+14155550009' })).toBe(1);
    });

    it('admits exactly SEND_LIMIT of 50 parallel sends, approves once of 50 checks, stops 50 wrong checks at 5', async () => {
      const { codes, limits } = await freshStores();
      const h = await createHarness({ codes, limits, policy: { resendCooldownSeconds: 0 } });
      const sends = await Promise.all(Array.from({ length: 50 }, () => h.verifier.start({ phone: PHONE })));
      expect(sends.filter((r) => r.ok)).toHaveLength(5);
      expect(sends.filter((r) => !r.ok && r.error.name === 'RATE_LIMITED')).toHaveLength(45);

      const code = h.sender.lastCode(PHONE)!;
      const wrong = await Promise.all(
        Array.from({ length: 50 }, () => h.verifier.check({ phone: PHONE, code: h.wrong(code) })),
      );
      expect(wrong.filter((r) => !r.ok && r.error.name === 'WRONG_CODE')).toHaveLength(5);
      expect(wrong.filter((r) => !r.ok && r.error.name === 'TOO_MANY_ATTEMPTS')).toHaveLength(45);

      const other = '+12125550123';
      await h.verifier.start({ phone: other });
      const right = h.sender.lastCode(other)!;
      const checks = await Promise.all(
        Array.from({ length: 50 }, () => h.verifier.check({ phone: other, code: right })),
      );
      expect(checks.filter((r) => r.ok)).toHaveLength(1);
    });
  });

  describe('lease locks (the fallback for servers without atomic updates)', () => {
    it('serialises work per key across callers, and takes over a lease whose holder died', async () => {
      const db = await freshDb();
      const lock = createLeaseLock(db, { leaseMs: 5000, waitMs: 5000 });
      let inside = 0;
      let most = 0;
      await Promise.all(
        Array.from({ length: 10 }, () =>
          lock.run('k', async () => {
            most = Math.max(most, ++inside);
            await new Promise((r) => setTimeout(r, 5));
            inside--;
          }),
        ),
      );
      expect(most).toBe(1);
      await db
        .collection<{ _id: string; owner: string; expires_at: Date }>(LOCKS_COLLECTION)
        .insertOne({ _id: lockId('dead'), owner: 'gone', expires_at: new Date(Date.now() - 1000) });
      await expect(lock.run('dead', async () => 'ran')).resolves.toBe('ran');
      expect(await db.collection(LOCKS_COLLECTION).countDocuments()).toBe(0);
    });

    it('names lock documents by a hash of the key, so no phone number is stored or logged with them', async () => {
      const db = await freshDb();
      const lock = createLeaseLock(db, { waitMs: 200 });
      const ids = await lock.run('limit:phone:+14155552671', async () =>
        (await db.collection(LOCKS_COLLECTION).find().toArray()).map((d) => String(d._id)),
      );
      expect(ids).toEqual([lockId('limit:phone:+14155552671')]);
      expect(ids[0]).not.toMatch(/\d{4}/);
      // A lock another holder keeps past the wait: the error names the hash, never the key.
      await db
        .collection<{ _id: string; owner: string; expires_at: Date }>(LOCKS_COLLECTION)
        .insertOne({ _id: lockId('code:+14155552671'), owner: 'other', expires_at: new Date(Date.now() + 60_000) });
      const error = await lock.run('code:+14155552671', async () => 'ran').catch((e: Error) => e);
      expect(String(error)).toMatch(/not acquired/);
      expect(String(error)).not.toMatch(/4155552671|2671/);
    });

    it('answers a waiter whose outcome is settled without the lock, however long the holder keeps it', async () => {
      const db = await freshDb();
      const lock = createLeaseLock(db, { waitMs: 60_000 });
      const limits = createSendLimitEngine(serialisedLimitLedger(createMongoLimitLedger(db), lock));
      const window = {
        kind: 'window',
        ...limitFields('phone:+14155552671'),
        limit: 1,
        windowMs: 60_000,
        cooldownMs: 0,
      } as const;
      const now = new Date();
      expect((await limits.admit('first', [window], now)).admitted).toBe(true);
      // Another process holds the key's lease for a minute; the limit is full already.
      await db.collection<{ _id: string; owner: string; expires_at: Date }>(LOCKS_COLLECTION).insertOne({
        _id: lockId('limit:phone:+14155552671'),
        owner: 'other',
        expires_at: new Date(Date.now() + 60_000),
      });
      // The engine's first read sees room only in a race; give it a stale snapshot to charge.
      const ledger = serialisedLimitLedger(createMongoLimitLedger(db), lock);
      const stale = { limit: window, state: { key: window.key, remaining: 1, availableAt: now }, token: null };
      const result = await ledger.charge('second', stale, now);
      expect(result).toMatchObject({ charged: false, snapshot: { state: { remaining: 0 } } });
    }, 10_000);

    it('sweeps lock documents whose holder died', async () => {
      const db = await freshDb();
      const locks = db.collection<{ _id: string; owner: string; expires_at: Date }>(LOCKS_COLLECTION);
      await locks.insertMany([
        { _id: lockId('dead'), owner: 'gone', expires_at: new Date(Date.now() - 1000) },
        { _id: lockId('alive'), owner: 'here', expires_at: new Date(Date.now() + 60_000) },
      ]);
      const sweeper = startSweeper(db, createManualClock(), 60_000, () => undefined);
      await sweeper.sweep();
      sweeper.stop();
      expect((await locks.find().toArray()).map((d) => d._id)).toEqual([lockId('alive')]);
    });
  });

  describe('reconnecting a client that stays unavailable while the server answers', () => {
    it('closes and connects the client again once pings have failed for the set time, and the stores work again', async () => {
      const warnings: string[] = [];
      const stores = await createMongoStores({
        uri: mongo.uri!,
        dbName: (await freshDb()).databaseName,
        clock: createManualClock(),
        warn: (m) => void warnings.push(m),
        reconnectAfterMs: 200,
        reconnectCheckMs: 3_600_000,
      });
      // A client in a state it does not leave by itself: every call fails while the server answers others.
      await stores.client.close();
      await expect(stores.codes.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
      await stores.reconnector.check();
      await expect(stores.codes.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(warnings.filter((w) => /connecting afresh/.test(w))).toEqual([]);
      await new Promise((r) => setTimeout(r, 250));
      await stores.reconnector.check();
      expect(warnings.filter((w) => /connecting afresh/.test(w))).toHaveLength(1);
      await expect(stores.codes.ping()).resolves.toBeUndefined();
      await stores.codes.put(aRecord());
      expect(await stores.codes.get(aRecord().phone, T0)).not.toBeNull();
      await stores.close();
    });
  });

  describe('createMongoStores', () => {
    it('reports the server, and on FerretDB warns once each about TTL and locks, sweeping until closed', async () => {
      const warnings: string[] = [];
      const stores = await createMongoStores({
        uri: mongo.uri!,
        dbName: (await freshDb()).databaseName,
        clock: createManualClock(),
        warn: (m) => void warnings.push(m),
      });
      if (mongo.kind === 'ferretdb') {
        expect(stores).toMatchObject({
          locked: true,
          indexes: { ttl: false },
          server: expect.stringMatching(/^FerretDB v1\.24/),
        });
        expect(stores.sweeper).not.toBeNull();
        expect(warnings).toHaveLength(2);
        expect(warnings.join('\n')).toMatch(/refused TTL indexes/);
      } else {
        expect(stores).toMatchObject({ locked: false, indexes: { ttl: true }, sweeper: null });
        expect(warnings).toEqual([]);
      }
      await stores.close();
      await expect(stores.codes.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    });
  });

  describe('outages', () => {
    it('fails fast with StoreUnavailableError when no server answers', async () => {
      const port = await freePort();
      const started = Date.now();
      const error = await createMongoStores({
        uri: `mongodb://127.0.0.1:${port}/x`,
        clock: createManualClock(),
        warn: () => undefined,
        serverSelectionTimeoutMs: 500,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as StoreUnavailableError).adapter).toBe('mongodb');
      expect(Date.now() - started).toBeLessThan(5000);
    });
  });
});

describe.skipIf(!onServer)('round trips per use case', () => {
  /** The stores on a fresh database, and `count(run)`: the driver commands `run` sent, by name. */
  const counting = async () => {
    const stores = await createMongoStores({
      uri: mongo.uri!,
      dbName: (await freshDb()).databaseName,
      clock: createManualClock(),
      warn: () => undefined,
      monitorCommands: true,
    });
    const commands: string[] = [];
    stores.client.on('commandStarted', (event) => commands.push(event.commandName));
    const count = async (run: () => Promise<unknown>) => {
      commands.length = 0;
      await run();
      return [...commands];
    };
    return { stores, count };
  };

  it('counts the driver commands of send, check and status, and prints them', async () => {
    const { stores, count } = await counting();
    const h = await createHarness({ codes: stores.codes, limits: stores.limits });
    const send = await count(() => h.verifier.start({ phone: PHONE }));
    const code = h.sender.lastCode(PHONE)!;
    const wrong = await count(() => h.verifier.check({ phone: PHONE, code: h.wrong(code) }));
    const right = await count(() => h.verifier.check({ phone: PHONE, code }));
    const status = await count(() => h.verifier.get(PHONE));
    await stores.close();
    console.log(
      `[round trips on ${mongo.kind}] send ${send.length} (${send.join(', ')}); wrong check ${wrong.length} (${wrong.join(', ')}); ` +
        `right check ${right.length} (${right.join(', ')}); status ${status.length} (${status.join(', ')})`,
    );
    // Send: read the phone's verification (a resend keeps it), read the limits, charge phone and
    // prefix, save the code, record the send.
    // Check: read the code; read and charge the phone's guess window; then one conditional write,
    // and a right check takes its guess charge back (find, then update). On FerretDB each write
    // also takes and frees a lease lock; behind it a limit charge reads its key afresh (4 commands),
    // a code write does not (3), and taking a charge back is 4.
    const ferret = mongo.kind === 'ferretdb';
    const writes = ferret ? 3 : 1;
    const charge = ferret ? 4 : 1;
    const uncharge = ferret ? 4 : 2;
    expect(send.length).toBe(2 + 2 * charge + 2 * writes);
    expect(wrong.length).toBe(1 + (1 + charge) + writes);
    expect(right.length).toBe(1 + (1 + charge) + uncharge + writes);
    expect(status.length).toBe(1);
  });

  it('counts them with every default feature on: the fraud guard and an Idempotency-Key, through the service', async () => {
    const { stores, count } = await counting();
    const loaded = parseSettings({ NODE_ENV: 'test', API_KEYS: 'count-key-0123456789abcdef' });
    if (!loaded.ok) throw new Error(loaded.errors.join());
    const sender = createRecordingSender();
    const service = createService(loaded.settings, {
      codes: stores.codes,
      limits: stores.limits,
      idempotency: stores.idempotency,
      fraud: stores.fraud,
      sender,
      clock: createManualClock(),
      hasher: await createCodeHasher(['count-secret-0123456789']),
      logger: capturingLogger(),
    });
    const headers = { Authorization: 'Bearer count-key-0123456789abcdef' };
    const send = await count(() =>
      call(service.app, 'POST', '/v1/verifications', { phone: PHONE }, { ...headers, 'Idempotency-Key': 'k-1' }),
    );
    const code = sender.lastCode(PHONE)!;
    const wrong = await count(() =>
      call(
        service.app,
        'POST',
        '/v1/verifications/check',
        { phone: PHONE, code: code === '000000' ? '111111' : '000000' },
        headers,
      ),
    );
    const right = await count(() =>
      call(service.app, 'POST', '/v1/verifications/check', { phone: PHONE, code }, headers),
    );
    await stores.close();
    console.log(
      `[round trips on ${mongo.kind}, fraud guard and Idempotency-Key on] send ${send.length} (${send.join(', ')}); ` +
        `wrong check ${wrong.length} (${wrong.join(', ')}); right check ${right.length} (${right.join(', ')})`,
    );
    // On top of the bare send: the Idempotency-Key's claim and its answer (2), the fraud guard's
    // block read (1) and its counts (the older buckets and one update per counter: 3). A right
    // check adds the guard's approval count: its block read and its counts (4).
    const ferret = mongo.kind === 'ferretdb';
    const writes = ferret ? 3 : 1;
    const charge = ferret ? 4 : 1;
    const uncharge = ferret ? 4 : 2;
    const idempotency = 2;
    const fraudCount = 1 + 2 * writes;
    expect(send.length).toBe(2 + 2 * charge + 2 * writes + idempotency + 1 + fraudCount);
    expect(wrong.length).toBe(1 + (1 + charge) + writes);
    expect(right.length).toBe(1 + (1 + charge) + uncharge + writes + 1 + fraudCount);
  });
});
