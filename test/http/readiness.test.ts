// GET /readyz through createService: ready only while every store a request can touch answers.
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/adapters/clock/manual-clock.ts';
import { createMemoryCodeStore } from '../../src/adapters/keyed-stores/memory-code-store.ts';
import { createMemoryFraudStore } from '../../src/adapters/keyed-stores/memory-fraud-store.ts';
import { createMemoryIdempotencyStore } from '../../src/adapters/keyed-stores/memory-idempotency-store.ts';
import { createMemorySendLimitStore } from '../../src/adapters/memory/memory-send-limit-store.ts';
import { createRecordingSender } from '../../src/adapters/memory/recording-sender.ts';
import { createCodeHasher } from '../../src/adapters/web-crypto/code-hasher.ts';
import { parseSettings } from '../../src/config/settings.ts';
import { StoreUnavailableError } from '../../src/ports/store-unavailable.ts';
import { createService } from '../../src/service.ts';
import { call } from '../support/http.ts';
import { capturingLogger } from '../support/log-capture.ts';

const down = async () => Promise.reject(new StoreUnavailableError('test', { cause: new Error('down') }));

describe('GET /readyz', () => {
  it('is 503 while the fraud or the idempotency store is down, not only the code and limit stores', async () => {
    const loaded = parseSettings({ NODE_ENV: 'test' });
    if (!loaded.ok) throw new Error(loaded.errors.join());
    for (const broken of ['fraud', 'idempotency', null] as const) {
      const fraud = createMemoryFraudStore();
      const idempotency = createMemoryIdempotencyStore();
      const service = createService(loaded.settings, {
        codes: createMemoryCodeStore(),
        limits: createMemorySendLimitStore(),
        fraud: broken === 'fraud' ? { ...fraud, ping: down } : fraud,
        idempotency: broken === 'idempotency' ? { ...idempotency, ping: down } : idempotency,
        sender: createRecordingSender(),
        clock: createManualClock(),
        hasher: await createCodeHasher(['readiness-secret-0123456789']),
        logger: capturingLogger(),
      });
      expect((await call(service.app, 'GET', '/readyz')).status, String(broken)).toBe(broken ? 503 : 200);
    }
  });
});
