// The in-memory stores as a backend: the embedded default, bounded, and not for production.
import { defineStore } from '../../ports/adapter-descriptor.ts';
import { createMemoryAttemptStore } from '../keyed-stores/memory-attempt-store.ts';
import { createMemoryCodeStore } from '../keyed-stores/memory-code-store.ts';
import { createMemoryEventOutbox } from '../keyed-stores/memory-event-outbox.ts';
import { createMemoryFraudStore } from '../keyed-stores/memory-fraud-store.ts';
import { createMemoryIdempotencyStore } from '../keyed-stores/memory-idempotency-store.ts';
import { createMemorySafeListStore } from '../keyed-stores/memory-safe-list-store.ts';
import { int } from '../settings/schemas.ts';
import { createMemorySendLimitStore } from './memory-send-limit-store.ts';

export const memoryStore = defineStore({
  name: 'memory',
  settings: { MEMORY_MAX_VERIFICATIONS: int(1000, 10_000_000, 100_000) },
  configuredBy: () => true,
  requires: 'nothing',
  development: 'in-memory stores',
  async build(s, { logger, clock, attemptsRetentionMs }) {
    logger.warn(
      {},
      'WARNING: no MONGODB_URI: in-memory stores in use. Nothing persists across restarts and limits are per process.',
    );
    const max = s.MEMORY_MAX_VERIFICATIONS;
    const evicted = (what: string, cap: number) => (count: number) =>
      logger.warn(
        { evicted: count, cap },
        `WARNING: in-memory store full: dropped the ${count} oldest live ${what} (MEMORY_MAX_VERIFICATIONS=${max})`,
      );
    return {
      codes: createMemoryCodeStore({ maxEntries: max, onEvict: evicted('verifications', max) }),
      // A send charges its phone's key, and shares prefix, IP and day keys with others: room for three per verification.
      limits: createMemorySendLimitStore({ maxEntries: 3 * max, onEvict: evicted('send-limit keys', 3 * max) }),
      idempotency: createMemoryIdempotencyStore(),
      fraud: createMemoryFraudStore(),
      attempts: createMemoryAttemptStore({
        maxEntries: max,
        now: () => clock.now(),
        ...(attemptsRetentionMs ? { retentionMs: attemptsRetentionMs } : {}),
      }),
      safeList: createMemorySafeListStore(),
      outbox: createMemoryEventOutbox({ maxEntries: max }),
      close: async () => {},
    };
  },
});
