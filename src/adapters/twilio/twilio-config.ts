// What both Twilio senders need to know.
import { voiceLanguage } from '../../domain/message/voice-language.ts';
import type { Channel } from '../../domain/verification/channel.ts';
import type { MessageSender, OutgoingMessage } from '../../ports/message-sender.ts';
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
  /** The number calls come from (TWILIO_VOICE_FROM, else TWILIO_FROM when it is a number): with it, the call channel. */
  readonly voiceFrom?: string | undefined;
  /** The WhatsApp sender (TWILIO_WHATSAPP_FROM): with it, the whatsapp channel. */
  readonly whatsappFrom?: string | undefined;
  /** An approved authentication content template (TWILIO_WHATSAPP_CONTENT_SID), the code as variable 1. */
  readonly whatsappContentSid?: string | undefined;
}

/** One create call at Twilio: the Messages API for SMS and WhatsApp, the Calls API for voice. */
export interface TwilioRequest {
  readonly resource: 'Messages' | 'Calls';
  readonly params: Readonly<Record<string, string>>;
}

const xml = (text: string) =>
  text.replace(/[<>&'"]/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[ch]!);

/** TwiML that says `text` in the language of `locale`, with a pause before it is said. */
export function sayTwiml(text: string, locale: string | undefined): string {
  return `<Response><Pause length="1"/><Say language="${voiceLanguage(locale)}">${xml(text)}</Say></Response>`;
}

/** The create call a message needs on its channel. */
export function twilioRequest(options: TwilioSenderOptions, message: OutgoingMessage): TwilioRequest {
  if (message.channel === 'call')
    return {
      resource: 'Calls',
      params: { To: message.to, From: options.voiceFrom ?? '', Twiml: sayTwiml(message.text, message.locale) },
    };
  if (message.channel === 'whatsapp') {
    const content: Record<string, string> =
      options.whatsappContentSid && message.code
        ? { ContentSid: options.whatsappContentSid, ContentVariables: JSON.stringify({ 1: message.code }) }
        : { Body: message.text };
    const callback: Record<string, string> = options.statusCallbackUrl
      ? { StatusCallback: options.statusCallbackUrl }
      : {};
    return {
      resource: 'Messages',
      params: { To: `whatsapp:${message.to}`, From: `whatsapp:${options.whatsappFrom ?? ''}`, ...content, ...callback },
    };
  }
  return { resource: 'Messages', params: messageParams(options, message.to, message.text) };
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
  const channels: Channel[] = ['sms'];
  if (options.voiceFrom) channels.push('call');
  if (options.whatsappFrom) channels.push('whatsapp');
  return {
    provider: 'twilio',
    channels,
    send: (message) => sendWithRetry('twilio', () => attempt(message), policy, options.report),
  };
}
