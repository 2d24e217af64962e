// A bound on every store operation: a frozen server answers SMS_009 within MONGODB_TIMEOUT_MS.
import { StoreUnavailableError } from '../../ports/store-unavailable.ts';

/**
 * The store with every operation but `close` bounded by `ms`: past it the caller gets
 * StoreUnavailableError, whatever the driver is still waiting for. The socket timeout frees the
 * connection soon after; the driver's own `timeoutMS`, which would do both, is a no-op
 * from driver 7.8 on (and desynchronised the pool before that). An operation given up on may still
 * reach the server, as a write can after any timeout; its outcome is then dropped unseen.
 */
export function withDeadline<T extends object>(store: T, ms: number): T {
  const bounded: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(store)) {
    bounded[name] =
      typeof value === 'function' && name !== 'close'
        ? (...args: unknown[]) => within(ms, () => (value as (...a: unknown[]) => Promise<unknown>)(...args))
        : value;
  }
  return bounded as T;
}

function within<T>(ms: number, run: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new StoreUnavailableError('mongodb', { cause: new Error(`no answer within ${ms} ms`) }));
    }, ms);
    run().then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
