// MessageSender through Vonage's official SDK (@vonage/sms): the SMS API with Basic auth.
import { Auth } from '@vonage/auth';
import { SMS } from '@vonage/sms';
import type { MessageSender } from '../../ports/message-sender.ts';
import { type Attempt, defaultRetryPolicy, type RetryPolicy, sendWithRetry } from '../retry/send-with-retry.ts';
import { classifyHttp, classifyStatus, classifyTransport } from './vonage-errors.ts';

export interface VonageSenderOptions {
  readonly apiKey: string;
  readonly apiSecret: string;
  /** The sender: a number or an alphanumeric id. */
  readonly from: string;
  /** Replaces https://rest.nexmo.com (egress proxy, test double). */
  readonly apiBaseUrl?: string | undefined;
  /** Per-request timeout; a timed-out request is not retried. */
  readonly timeoutMs?: number | undefined;
  readonly retry?: Partial<RetryPolicy> | undefined;
  /** Where Vonage sends delivery receipts (PUBLIC_BASE_URL + the status path); unset: none asked for. */
  readonly callbackUrl?: string | undefined;
  /** Receives errors only an operator can fix (bad credentials, no credit). */
  readonly report?: ((message: string) => void) | undefined;
}

interface FailureLike {
  getFailedMessages?: () => { status?: string; errorText?: string }[];
  response?: { status?: number };
}

/**
 * The SDK is used rather than fetch because it is Vonage's own client (request shape, auth,
 * errors) and runs wherever Node does; this sender is Node-only like Twilio's SDK sender. The SMS
 * API answers 200 with a status per message: `0` is taken, others are classified (vonage-errors).
 */
export function createVonageSender(options: VonageSenderOptions): MessageSender {
  const client = new SMS(new Auth({ apiKey: options.apiKey, apiSecret: options.apiSecret }), {
    ...(options.apiBaseUrl ? { restHost: options.apiBaseUrl.replace(/\/+$/, '') } : {}),
    timeout: options.timeoutMs ?? 10_000,
  });
  const policy = defaultRetryPolicy(options.retry);
  return {
    provider: 'vonage',
    channels: ['sms'],
    send(message) {
      const attempt = async (): Promise<Attempt> => {
        try {
          const sent = await client.send({
            // Vonage takes the number without its +.
            to: message.to.replace(/^\+/, ''),
            from: options.from,
            text: message.text,
            ...(options.callbackUrl ? { callback: options.callbackUrl } : {}),
          });
          const id = sent.messages?.[0]?.messageId;
          return id ? { ok: true, messageId: id } : { ok: false, verdict: classifyStatus('5', 'no message id') };
        } catch (error) {
          const failure = error as FailureLike;
          const failed = failure.getFailedMessages?.()[0];
          if (failed?.status) return { ok: false, verdict: classifyStatus(failed.status, failed.errorText) };
          const status = failure.response?.status;
          if (typeof status === 'number') return { ok: false, verdict: classifyHttp(status) };
          return { ok: false, verdict: classifyTransport(error) };
        }
      };
      return sendWithRetry('vonage', attempt, policy, options.report);
    },
  };
}
