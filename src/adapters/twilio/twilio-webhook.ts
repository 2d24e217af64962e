// Twilio's signed status callbacks as a DeliveryWebhook: X-Twilio-Signature, then MessageStatus.
import { toJsonSchema } from '@valibot/to-json-schema';
import * as v from 'valibot';
import type { DeliveryStatus } from '../../domain/verification/verification-record.ts';
import type { DeliveryWebhook } from '../../ports/delivery-webhook.ts';
import type { SignatureVerifier } from '../../ports/signature-verifier.ts';

export interface TwilioWebhookOptions {
  /** The SDK's check on Node (`createSdkTwilioVerifier`), the Web Crypto one elsewhere. */
  readonly signatures: SignatureVerifier;
  /** The service's public URL, as Twilio called it: the signature covers it. */
  readonly publicBaseUrl: string;
}

/** Twilio's MessageStatus values, folded onto the five the API reports. */
const STATUS: Readonly<Record<string, DeliveryStatus>> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'sent',
  sent: 'sent',
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
  canceled: 'failed',
};

export const TwilioStatusForm = v.looseObject({
  MessageSid: v.string(),
  MessageStatus: v.string(),
  ErrorCode: v.optional(v.string()),
});

/** The path messages ask Twilio to call, under PUBLIC_BASE_URL. */
export const TWILIO_STATUS_PATH = '/v1/webhooks/twilio/status';

export function createTwilioWebhook(options: TwilioWebhookOptions): DeliveryWebhook {
  const { $schema: _ignored, ...schema } = toJsonSchema(TwilioStatusForm, { errorMode: 'ignore' }) as Record<
    string,
    unknown
  >;
  return {
    provider: 'twilio',
    requestBody: { contentType: 'application/x-www-form-urlencoded', schema },
    headers: ['X-Twilio-Signature'],
    async receive(request) {
      const signature = request.headers.get('X-Twilio-Signature');
      if (!signature) return { ok: false, detail: 'X-Twilio-Signature is missing.' };
      const params = Object.fromEntries(new URLSearchParams(request.body));
      const url = options.publicBaseUrl + request.path + request.search;
      if (!(await options.signatures.verify(signature, url, params)))
        return { ok: false, detail: 'X-Twilio-Signature does not match.' };
      const form = v.safeParse(TwilioStatusForm, params);
      const status = form.success ? STATUS[form.output.MessageStatus] : undefined;
      // Anything signed but not a status we track is acknowledged, so Twilio does not retry it.
      if (!form.success || !status) return { ok: true, reports: [] };
      return {
        ok: true,
        reports: [{ messageId: form.output.MessageSid, status, errorCode: form.output.ErrorCode || undefined }],
      };
    },
  };
}
