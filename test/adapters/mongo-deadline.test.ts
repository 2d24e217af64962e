// The deadline on MongoDB store operations: a server that never answers costs at most MONGODB_TIMEOUT_MS.
import { describe, expect, it, vi } from 'vitest';
import { withDeadline } from '../../src/adapters/mongodb/deadline.ts';
import { isStoreUnavailable } from '../../src/domain/store-outage.ts';

describe('withDeadline', () => {
  it('answers StoreUnavailableError at the deadline for an operation that never settles; close is not bounded', async () => {
    vi.useFakeTimers();
    try {
      const closed = vi.fn(async () => undefined);
      const store = withDeadline({ get: () => new Promise<never>(() => undefined), close: closed }, 3000);
      const answer = store.get().catch((error: unknown) => error);
      await vi.advanceTimersByTimeAsync(2999);
      let settled = false;
      void answer.then(() => {
        settled = true;
      });
      await Promise.resolve();
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      const error = await answer;
      expect(isStoreUnavailable(error)).toBe(true);
      expect((error as Error).message).toMatch(/no answer within 3000 ms/);
      await store.close();
      expect(closed).toHaveBeenCalledOnce();
    } finally {
      vi.useRealTimers();
    }
  });

  it('passes answers and failures through unchanged', async () => {
    const failure = new Error('duplicate');
    const store = withDeadline(
      { ok: async (n: number) => n * 2, fails: async () => Promise.reject(failure), name: 'kept' },
      1000,
    );
    expect(await store.ok(21)).toBe(42);
    await expect(store.fails()).rejects.toBe(failure);
    expect(store.name).toBe('kept');
  });
});
