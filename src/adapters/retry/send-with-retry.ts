// Bounded retries with exponential backoff and full jitter, for any provider's MessageSender.
import type { SendOutcome } from '../../ports/message-sender.ts';

/**
 * How a provider's answer is read: `refused` (the destination will never work, never retried),
 * `retry` (the provider said it did not take the message), or `failed` (anything else; the
 * message may have gone, so not retried). `operator` is logged for errors only an operator can fix.
 */
export type Verdict =
  | { kind: 'refused'; code: number | string; detail: string }
  | { kind: 'retry'; code: string; detail: string }
  | { kind: 'failed'; code: string; detail: string; operator?: string; unknownFate?: boolean };

export interface RetryPolicy {
  /** Retries after the first try (so at most maxRetries + 1 requests). */
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Waits; injected so tests need not sleep. */
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

export const defaultRetryPolicy = (overrides: Partial<RetryPolicy> = {}): RetryPolicy => ({
  maxRetries: 2,
  baseDelayMs: 250,
  maxDelayMs: 2000,
  sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
  random: Math.random,
  ...overrides,
});

/** One attempt's result: the message id, or how the attempt failed. */
export type Attempt = { ok: true; messageId: string } | { ok: false; verdict: Verdict };

/**
 * Repeats `attempt` while it fails with a retryable verdict, at most `maxRetries` times, waiting a
 * random time up to base x 2^n (capped) between tries so that many clients do not retry in step.
 */
export async function sendWithRetry(
  provider: string,
  attempt: () => Promise<Attempt>,
  policy: RetryPolicy,
  report?: (message: string) => void,
): Promise<SendOutcome> {
  for (let n = 0; ; n++) {
    const result = await attempt();
    if (result.ok) return { ok: true, provider, messageId: result.messageId };
    const { verdict } = result;
    if (verdict.kind === 'retry' && n < policy.maxRetries) {
      await policy.sleep(Math.floor(policy.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** n)));
      continue;
    }
    if (verdict.kind === 'refused') {
      return {
        ok: false,
        provider,
        reason: 'destination_refused',
        providerCode: String(verdict.code),
        detail: verdict.detail,
      };
    }
    if (verdict.kind === 'failed' && verdict.operator) report?.(verdict.operator);
    const fate = verdict.kind === 'failed' && verdict.unknownFate ? 'unknown' : 'not_taken';
    return { ok: false, provider, reason: 'provider_failed', providerCode: verdict.code, detail: verdict.detail, fate };
  }
}
