// Issue 13 through the Node composition: settings → stores → fraud guard → operator API → metrics,
// on the embedded default and on the MongoDB-compatible server the tests run.
import { afterAll, describe, expect, it } from 'vitest';
import { composeService } from '../../src/compose.ts';
import { parseSettings } from '../../src/config/settings.ts';
import { call } from '../support/http.ts';
import { capturingLogger } from '../support/log-capture.ts';
import { dropTestDbs, mongo } from '../support/mongo-test-db.ts';

const API_KEY = 'api-key-0123456789abcdef';
const ADMIN_KEY = 'admin-key-0123456789abcdef';
const pumped = (i: number) => `+1415555${String(2000 + i).padStart(4, '0')}`;

afterAll(dropTestDbs);

const stores = [
  ['in-memory stores', {}],
  ...(mongo.uri
    ? [
        [
          `MongoDB on ${mongo.description}`,
          { MONGODB_URI: mongo.uri, MONGODB_DB: `smsv_fraud_${process.pid}_${Date.now()}` },
        ],
      ]
    : []),
] as [string, Record<string, string>][];

describe.each(stores)('the fraud guard in the composed service (%s)', (_name, storeEnv) => {
  it('blocks a prefix after FRAUD_MIN_SENDS, lists and lifts it with the admin key, and counts it in /metrics', async () => {
    const loaded = parseSettings({
      NODE_ENV: 'test',
      API_KEYS: API_KEY,
      ADMIN_API_KEYS: ADMIN_KEY,
      CODE_SECRET: 'fraud-e2e-secret-0123456789',
      FRAUD_MIN_SENDS: '3',
      ...storeEnv,
    });
    if (!loaded.ok) throw new Error(loaded.errors.join());
    const service = await composeService(loaded.settings, { logger: capturingLogger(), writeSms: () => {} });
    try {
      const api = { Authorization: `Bearer ${API_KEY}` };
      const admin = { Authorization: `Bearer ${ADMIN_KEY}` };
      const statuses = [];
      for (let i = 0; i < 5; i++) {
        statuses.push((await call(service.app, 'POST', '/v1/verifications', { phone: pumped(i) }, api)).status);
      }
      expect(statuses).toEqual([201, 201, 201, 403, 403]);
      expect((await call(service.app, 'GET', '/v1/fraud/blocks', undefined, api)).status).toBe(401);
      const list = await call(service.app, 'GET', '/v1/fraud/blocks', undefined, admin);
      expect(list.body).toMatchObject({ blocks: [{ prefix: '+141555', country: 'US', sends: 3, approvals: 0 }] });
      const metrics = await (await service.app.request('/metrics')).text();
      expect(metrics).toMatch(/sms_verify_fraud_blocks_total\{mode="block",country="US"\} 1/);
      expect(metrics).toMatch(/sms_verify_sends_total\{outcome="fraud_blocked"\} 2/);
      expect((await call(service.app, 'DELETE', '/v1/fraud/blocks/%2B141555', undefined, admin)).status).toBe(204);
      expect((await call(service.app, 'POST', '/v1/verifications', { phone: pumped(9) }, api)).status).toBe(201);
    } finally {
      await service.close();
    }
  });
});
