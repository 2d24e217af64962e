// A generic HTTP gateway as a provider: each message POSTed as a Standard Webhooks event, signed.
import { Webhook } from 'standardwebhooks';
import { randomId } from '../../domain/random.ts';
import type { MessageSender } from '../../ports/message-sender.ts';
import {
  type Attempt,
  defaultRetryPolicy,
  type RetryPolicy,
  sendWithRetry,
  type Verdict,
} from '../retry/send-with-retry.ts';

export interface GatewaySenderOptions {
  /** HTTP_GATEWAY_URL: where each message is POSTed. */
  readonly url: string;
  /** HTTP_GATEWAY_SECRET: `whsec_` + base64, as Standard Webhooks has it. */
  readonly secret: string;
  /** Per-request timeout; a timed-out request is not retried (the gateway may have taken it). */
  readonly timeoutMs?: number | undefined;
  readonly retry?: Partial<RetryPolicy> | undefined;
  /** For tests: the time a message is signed at. */
  readonly now?: (() => Date) | undefined;
}

/** What the gateway answers a message with: 2xx taken (its own `messageId` optional), 4xx refused, else failed. */
function verdictOf(status: number, body: { error?: unknown; code?: unknown }): Verdict {
  const code = typeof body.code === 'string' || typeof body.code === 'number' ? String(body.code) : String(status);
  const said = typeof body.error === 'string' ? `: ${body.error.slice(0, 200)}` : '';
  if (status >= 400 && status < 500 && status !== 429)
    return { kind: 'refused', code, detail: `The gateway refused the destination (${status}${said}).` };
  if (status === 429 || status >= 500) return { kind: 'retry', code, detail: `The gateway failed (${status}${said}).` };
  return { kind: 'failed', code, detail: `The gateway answered ${status}.` };
}

/**
 * Each message is `POST url` with `webhook-id`, `webhook-timestamp` and `webhook-signature`
 * (`v1,` + base64 HMAC-SHA256 of `id.timestamp.body`, signed by the `standardwebhooks` package)
 * and the body `{"type": "message.send", "timestamp", "data": {"id", "channel", "to", "text",
 * "locale"}}`. A 2xx answer means taken; 4xx the destination is refused; 5xx, 429 or a refused
 * connection mean it was not taken (retried, bounded, then failed over); a timeout's fate is unknown.
 */
export function createGatewaySender(options: GatewaySenderOptions, fetchImpl: typeof fetch = fetch): MessageSender {
  const signer = new Webhook(options.secret);
  const policy = defaultRetryPolicy(options.retry);
  return {
    provider: 'http',
    channels: ['sms', 'call', 'whatsapp'],
    send(message) {
      // One id for every try of this message, so the gateway can tell a retry from a second message.
      const id = `msg_${randomId()}`;
      const attempt = async (): Promise<Attempt> => {
        const at = options.now?.() ?? new Date();
        const body = JSON.stringify({
          type: 'message.send',
          timestamp: at.toISOString(),
          data: { id, channel: message.channel, to: message.to, text: message.text, locale: null },
        });
        try {
          const res = await fetchImpl(options.url, {
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              'webhook-id': id,
              'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
              'webhook-signature': signer.sign(id, at, body),
            },
            body,
            signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
          });
          const answer = (await res.json().catch(() => ({}))) as {
            messageId?: unknown;
            error?: unknown;
            code?: unknown;
          };
          if (res.ok) return { ok: true, messageId: typeof answer.messageId === 'string' ? answer.messageId : id };
          return { ok: false, verdict: verdictOf(res.status, answer) };
        } catch (error) {
          const code = String((error as { cause?: { code?: unknown } })?.cause?.code ?? '');
          if (code === 'ECONNREFUSED')
            return { ok: false, verdict: { kind: 'retry', code, detail: 'The gateway could not be reached.' } };
          return {
            ok: false,
            verdict: {
              kind: 'failed',
              code: (error as Error)?.name === 'TimeoutError' ? 'timeout' : code || 'network',
              detail: 'The gateway did not answer; not retried, the message may have been sent.',
              unknownFate: true,
            },
          };
        }
      };
      return sendWithRetry('http', attempt, policy);
    },
  };
}
