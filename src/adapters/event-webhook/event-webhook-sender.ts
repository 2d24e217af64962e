// Delivers lifecycle events to the app's endpoint as Standard Webhooks: signed, bounded in time.
import { Webhook } from 'standardwebhooks';
import type { EventEndpoint } from '../../ports/event-endpoint.ts';

export interface EventWebhookOptions {
  readonly url: string;
  /** EVENT_WEBHOOK_SECRET: `whsec_` and base64, as Standard Webhooks has it. */
  readonly secret: string;
  /** Each delivery is abandoned after this long, so a slow endpoint holds no delivery slot for long. */
  readonly timeoutMs?: number;
  /** For tests: when a delivery is signed. */
  readonly now?: () => Date;
}

/**
 * `POST url` with `webhook-id` (the event's id, the same on every retry), `webhook-timestamp` (the
 * time of this try) and `webhook-signature` (`v1,` + base64 HMAC-SHA256 of `id.timestamp.body`,
 * by the `standardwebhooks` package); the body is `{"type","timestamp","data"}`.
 */
export function createEventWebhookSender(
  options: EventWebhookOptions,
  fetchImpl: typeof fetch = (...args) => fetch(...args),
): EventEndpoint {
  const signer = new Webhook(options.secret);
  return {
    async send(event) {
      const body = JSON.stringify({ type: event.type, timestamp: event.timestamp.toISOString(), data: event.data });
      const at = options.now?.() ?? new Date();
      try {
        const res = await fetchImpl(options.url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'webhook-id': event.id,
            'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
            'webhook-signature': signer.sign(event.id, at, body),
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
        });
        await res.body?.cancel().catch(() => undefined);
        return res.status >= 200 && res.status < 300 ? { ok: true } : { ok: false, error: `HTTP ${res.status}` };
      } catch (error) {
        const name = (error as Error).name;
        return {
          ok: false,
          error: name === 'TimeoutError' ? 'timed out' : `unreachable (${(error as Error).message})`,
        };
      }
    },
  };
}
