// What both Twilio senders need to know.
import type { MessageSender } from '../../ports/message-sender.ts';
import { type Attempt, defaultRetryPolicy, type RetryPolicy, sendWithRetry } from '../retry/send-with-retry.ts';

export const TWILIO_API = 'https://api.twilio.com';

export interface TwilioSenderOptions {
  readonly accountSid: string;
  readonly authToken: string;
  /** Sender number or alphanumeric id; or use a messaging service. */
  readonly from?: string | undefined;
  readonly messagingServiceSid?: string | undefined;
  /** Replaces https://api.twilio.com (egress proxy, test double). */
  readonly apiBaseUrl?: string | undefined;
  /** Per-request timeout; a timed-out request is not retried. */
  readonly timeoutMs?: number | undefined;
  readonly retry?: Partial<RetryPolicy> | undefined;
  /** Where Twilio reports delivery (PUBLIC_BASE_URL + TWILIO_STATUS_PATH); unset: no callbacks. */
  readonly statusCallbackUrl?: string | undefined;
  /** Receives errors only an operator can fix (bad credentials). */
  readonly report?: ((message: string) => void) | undefined;
}

/** The form fields of a Messages create call. */
export function messageParams(options: TwilioSenderOptions, to: string, body: string) {
  const statusCallback = options.statusCallbackUrl;
  return {
    To: to,
    Body: body,
    ...(options.messagingServiceSid
      ? { MessagingServiceSid: options.messagingServiceSid }
      : { From: options.from ?? '' }),
    ...(statusCallback ? { StatusCallback: statusCallback } : {}),
  };
}

/**
 * A Twilio sender from one attempt at the Messages API (through the SDK or fetch): both share the
 * name, the channels and the bounded, jittered retries.
 */
export function twilioSender(
  options: TwilioSenderOptions,
  attempt: (message: Parameters<MessageSender['send']>[0]) => Promise<Attempt>,
): MessageSender {
  const policy = defaultRetryPolicy(options.retry);
  return {
    provider: 'twilio',
    channels: ['sms'],
    send: (message) => sendWithRetry('twilio', () => attempt(message), policy, options.report),
  };
}
