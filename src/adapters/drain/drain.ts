// What lets a shutdown end with nothing half-done: use cases in flight are counted, and the
// sender can be closed so that no message is handed to the provider after the deadline.
import type { MessageSender } from '../../ports/message-sender.ts';

export interface Drain {
  /** Runs `work`, counted as in flight until it settles. */
  track<T>(work: () => Promise<T>): Promise<T>;
  /** `sender`, refusing every message once `stopSending` was called. */
  gate(sender: MessageSender): MessageSender;
  /**
   * From now on no message is handed to the provider: a send still on its way answers as a
   * provider failure, so its use case takes back what it charged (SMS_008's path).
   */
  stopSending(): void;
  /** Resolves once nothing is in flight. */
  settled(): Promise<void>;
}

export function createDrain(): Drain {
  let inFlight = 0;
  let sending = true;
  const waiters = new Set<() => void>();
  const wake = () => {
    if (inFlight !== 0) return;
    for (const done of waiters) done();
    waiters.clear();
  };
  return {
    async track(work) {
      inFlight++;
      try {
        return await work();
      } finally {
        inFlight--;
        wake();
      }
    },
    gate: (sender) => ({
      provider: sender.provider,
      channels: sender.channels,
      send: (message) =>
        sending
          ? sender.send(message)
          : Promise.resolve({
              ok: false,
              provider: sender.provider,
              reason: 'provider_failed',
              detail: 'The service is shutting down; the message was not handed to the provider.',
            }),
    }),
    stopSending: () => {
      sending = false;
    },
    settled: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((done) => waiters.add(done))),
  };
}
