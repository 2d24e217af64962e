// Rebuilds a MongoDB client that keeps failing, so a stuck driver does not outlive an outage.
import type { MongoClient } from 'mongodb';

export interface Reconnector {
  /** One check now: pings, and reconnects when the pings have failed for `afterMs`. */
  check(): Promise<void>;
  stop(): void;
}

export interface ReconnectOptions {
  readonly client: MongoClient;
  readonly ping: () => Promise<void>;
  /** How long pings must fail, without a break, before the client is rebuilt. */
  readonly afterMs: number;
  readonly everyMs: number;
  readonly warn: (message: string, fields?: Record<string, unknown>) => void;
  readonly now?: () => number;
}

/**
 * A client whose monitors or pool got into a state the driver does not leave (seen once after a
 * burst, a freeze and a kill -9 of the server: every call failed for 15 minutes with no
 * connection attempt, while other processes reached the same server) answers SMS_009 forever.
 * Closing the client and connecting it again starts its monitors and pool afresh, which is what
 * a process restart would do, and the stores keep working because their Db handles belong to
 * the same client. When the server really is down this only costs a failed connect per period.
 */
export function startReconnector(options: ReconnectOptions): Reconnector {
  const now = options.now ?? Date.now;
  let failingSince: number | null = null;
  let running = false;
  const check = async () => {
    if (running) return;
    running = true;
    try {
      await options.ping();
      failingSince = null;
    } catch (error) {
      failingSince ??= now();
      if (now() - failingSince < options.afterMs) return;
      options.warn('MongoDB unreachable for too long: closing the client and connecting afresh', {
        failingForSeconds: Math.round((now() - failingSince) / 1000),
        cause: error instanceof Error ? error.message : String(error),
      });
      failingSince = now();
      await options.client.close(true).catch(() => undefined);
      await options.client.connect().catch(() => undefined);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void check(), options.everyMs);
  timer.unref?.();
  return { check, stop: () => clearInterval(timer) };
}
