// Work done after the request that caused it, one task at a time, in order, with a bound.

/**
 * A bounded FIFO of tasks run one after another: a send or a check hands its record-keeping here
 * and answers at once, whatever the store's speed. When `limit` tasks wait, a new one is dropped
 * and `onDrop` told (a slow store costs records, never the caller's time or memory).
 */
export function createBackgroundQueue(limit: number, onError: (error: unknown) => void, onDrop: () => void) {
  const waiting: (() => Promise<unknown>)[] = [];
  let running: Promise<void> | null = null;
  const drain = async () => {
    for (let task = waiting.shift(); task; task = waiting.shift()) await task().catch(onError);
    running = null;
  };
  return {
    push(task: () => Promise<unknown>): boolean {
      if (waiting.length >= limit) {
        onDrop();
        return false;
      }
      waiting.push(task);
      running ??= drain();
      return true;
    },
    /** Resolves once every task pushed so far has run. */
    async settled(): Promise<void> {
      while (running) await running;
    },
  };
}
