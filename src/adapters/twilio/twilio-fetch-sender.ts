// MessageSender on fetch and Web APIs only: the same REST call, for runtimes where the SDK does not run.
import type { MessageSender } from '../../ports/message-sender.ts';
import type { Attempt } from '../retry/send-with-retry.ts';
import { TWILIO_API, type TwilioSenderOptions, twilioRequest, twilioSender } from './twilio-config.ts';
import { classifyAnswer, classifyTransport } from './twilio-errors.ts';

/** Posts to Messages.json with Basic auth; each request is bounded by `timeoutMs` through AbortSignal. */
export function createTwilioFetchSender(options: TwilioSenderOptions, fetchImpl: typeof fetch = fetch): MessageSender {
  const base = (options.apiBaseUrl ?? TWILIO_API).replace(/\/+$/, '');
  const account = `${base}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}`;
  const authorization = `Basic ${btoa(`${options.accountSid}:${options.authToken}`)}`;

  return twilioSender(options, async (message): Promise<Attempt> => {
    const { resource, params } = twilioRequest(options, message);
    try {
      const res = await fetchImpl(`${account}/${resource}.json`, {
        method: 'POST',
        headers: {
          Authorization: authorization,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: new URLSearchParams(params),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      const body = (await res.json().catch(() => ({}))) as { sid?: string; code?: number; message?: string };
      if (res.ok && body.sid) return { ok: true, messageId: body.sid };
      return { ok: false, verdict: classifyAnswer(res.status, body.code, body.message) };
    } catch (error) {
      return { ok: false, verdict: classifyTransport(error) };
    }
  });
}
