// MessageSender on the official Twilio SDK (Node).
import twilio from 'twilio';
import type { MessageSender } from '../../ports/message-sender.ts';
import type { Attempt } from '../retry/send-with-retry.ts';
import { TWILIO_API, type TwilioSenderOptions, twilioRequest, twilioSender } from './twilio-config.ts';
import { classifyAnswer, classifyTransport } from './twilio-errors.ts';

type RequestOptions = Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0];

/**
 * Sends through `client.messages.create` (SMS, WhatsApp) and `client.calls.create` (voice). The SDK's own 429 retry is off (ours is bounded and
 * jittered, and also covers 503); `apiBaseUrl` is applied by a custom HTTP client that rewrites
 * the SDK's URLs, so the SDK's whole request path still runs.
 */
export function createTwilioSdkSender(options: TwilioSenderOptions): MessageSender {
  const inner = new twilio.RequestClient({ timeout: options.timeoutMs ?? 10_000, autoRetry: false, keepAlive: true });
  const base = options.apiBaseUrl?.replace(/\/+$/, '');
  const httpClient = base
    ? ({
        request: (req: RequestOptions) => inner.request({ ...req, uri: req.uri.replace(TWILIO_API, base) }),
      } as unknown as typeof inner)
    : inner;
  const client = twilio(options.accountSid, options.authToken, { httpClient, autoRetry: false });

  return twilioSender(options, async (message): Promise<Attempt> => {
    const { resource, params: p } = twilioRequest(options, message);
    try {
      if (resource === 'Calls') {
        const call = await client.calls.create({ to: p['To']!, from: p['From']!, twiml: p['Twiml']! });
        return { ok: true, messageId: call.sid };
      }
      const created = await client.messages.create({
        to: p['To']!,
        ...(p['Body'] !== undefined ? { body: p['Body'] } : {}),
        ...(p['ContentSid'] ? { contentSid: p['ContentSid'], contentVariables: p['ContentVariables'] } : {}),
        ...(p['MessagingServiceSid'] ? { messagingServiceSid: p['MessagingServiceSid'] } : { from: p['From'] }),
        ...(p['StatusCallback'] ? { statusCallback: p['StatusCallback'] } : {}),
      });
      return { ok: true, messageId: created.sid };
    } catch (error) {
      const answer = error as { status?: unknown; code?: unknown; message?: string };
      if (typeof answer.status !== 'number') return { ok: false, verdict: classifyTransport(error) };
      const code = typeof answer.code === 'number' ? answer.code : undefined;
      return { ok: false, verdict: classifyAnswer(answer.status, code, answer.message) };
    }
  });
}
