// MessageSender through Vonage's official SDKs: the SMS API (Basic auth), the Voice API (a JWT
// from the application's key) for calls, the Messages API for WhatsApp.
import { Auth } from '@vonage/auth';
import { Messages, WhatsAppText } from '@vonage/messages';
import { SMS } from '@vonage/sms';
import { Voice } from '@vonage/voice';
import { voiceLanguage } from '../../domain/message/voice-language.ts';
import type { Channel } from '../../domain/verification/channel.ts';
import type { MessageSender, OutgoingMessage } from '../../ports/message-sender.ts';
import { type Attempt, defaultRetryPolicy, type RetryPolicy, sendWithRetry } from '../retry/send-with-retry.ts';
import { classifyHttp, classifyStatus, classifyTransport } from './vonage-errors.ts';

export interface VonageSenderOptions {
  readonly apiKey: string;
  readonly apiSecret: string;
  /** The sender: a number or an alphanumeric id. */
  readonly from: string;
  /** A Vonage application (its id and private key, PEM): the Voice API needs one, for calls. */
  readonly application?: { readonly id: string; readonly privateKey: string } | undefined;
  /** The number calls come from; with `application`, Vonage offers the `call` channel. */
  readonly voiceFrom?: string | undefined;
  /** The WhatsApp Business number; with it, Vonage offers the `whatsapp` channel. */
  readonly whatsappFrom?: string | undefined;
  /** Replaces https://rest.nexmo.com and https://api.nexmo.com (egress proxy, test double). */
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
  const host = options.apiBaseUrl?.replace(/\/+$/, '');
  const timeout = options.timeoutMs ?? 10_000;
  const basic = new Auth({ apiKey: options.apiKey, apiSecret: options.apiSecret });
  const client = new SMS(basic, { ...(host ? { restHost: host } : {}), timeout });
  const app = options.application;
  const withApp = app
    ? new Auth({
        apiKey: options.apiKey,
        apiSecret: options.apiSecret,
        applicationId: app.id,
        privateKey: app.privateKey,
      })
    : null;
  const voice =
    withApp && options.voiceFrom ? new Voice(withApp, { ...(host ? { apiHost: host } : {}), timeout }) : null;
  // The Messages API takes the application's JWT where there is one, else the key and secret.
  const messages = options.whatsappFrom
    ? new Messages(withApp ?? basic, { ...(host ? { apiHost: host } : {}), timeout })
    : null;
  const channels: Channel[] = ['sms'];
  if (voice) channels.push('call');
  if (messages) channels.push('whatsapp');
  const policy = defaultRetryPolicy(options.retry);
  /** One request through an SDK: the provider's id for the message, or the SDK's error classified. */
  const attempt = async (send: () => Promise<string | undefined>): Promise<Attempt> => {
    try {
      const id = await send();
      return id ? { ok: true, messageId: id } : { ok: false, verdict: classifyStatus('5', 'no message id') };
    } catch (error) {
      // The SMS SDK throws with the per-message status; every SDK attaches the HTTP response.
      const failure = error as FailureLike;
      const failed = failure.getFailedMessages?.()[0];
      if (failed?.status) return { ok: false, verdict: classifyStatus(failed.status, failed.errorText) };
      const status = failure.response?.status;
      return { ok: false, verdict: typeof status === 'number' ? classifyHttp(status) : classifyTransport(error) };
    }
  };
  /** The request a message needs on its channel. Vonage takes numbers without their +. */
  const request = async (message: OutgoingMessage): Promise<string | undefined> => {
    const to = message.to.replace(/^\+/, '');
    if (message.channel === 'call')
      return (
        await voice!.createOutboundCall({
          to: [{ type: 'phone', number: to }],
          from: { type: 'phone', number: options.voiceFrom!.replace(/^\+/, '') },
          // The spoken text, said twice, in the message's language where Vonage has a voice for it.
          ncco: [{ action: 'talk', text: message.text, language: voiceLanguage(message.locale), loop: 2 }],
        } as Parameters<Voice['createOutboundCall']>[0])
      ).uuid;
    if (message.channel === 'whatsapp')
      return (
        await messages!.send(
          new WhatsAppText({ to, from: options.whatsappFrom!.replace(/^\+/, ''), text: message.text }),
        )
      ).messageUUID;
    const sent = await client.send({
      to,
      from: options.from,
      text: message.text,
      ...(options.callbackUrl ? { callback: options.callbackUrl } : {}),
    });
    return sent.messages?.[0]?.messageId;
  };
  return {
    provider: 'vonage',
    channels,
    send: (message) => sendWithRetry('vonage', () => attempt(() => request(message)), policy, options.report),
  };
}
