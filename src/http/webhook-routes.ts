// POST /v1/webhooks/twilio/status: Twilio's signed delivery callbacks.
import { Hono } from 'hono';
import * as v from 'valibot';
import { fail } from '../domain/errors.ts';
import type { Verifier } from '../domain/verifier.ts';
import type { DeliveryStatus } from '../domain/verification-record.ts';
import type { SignatureVerifier } from '../ports/signature-verifier.ts';
import { answerError } from './answer.ts';
import type { AppEnv } from './app-env.ts';
import type { Logger } from '../ports/logger.ts';
import { problem } from './problem.ts';
import { TwilioStatusForm } from './schemas.ts';

export interface WebhookOptions {
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

export function webhookRoutes(verifier: Verifier, options: WebhookOptions | undefined, logger: Logger) {
  return new Hono<AppEnv>().post('/twilio/status', async (c) => {
    const refuse = (detail: string) => problem(c, fail('BAD_SIGNATURE', detail).error);
    if (!options) return refuse('Delivery callbacks are not configured (set PUBLIC_BASE_URL and the Twilio settings).');
    const signature = c.req.header('X-Twilio-Signature');
    if (!signature) return refuse('X-Twilio-Signature is missing.');
    const params = Object.fromEntries(new URLSearchParams(await c.req.text()));
    const url = options.publicBaseUrl + c.req.path + new URL(c.req.url).search;
    if (!(await options.signatures.verify(signature, url, params))) return refuse('X-Twilio-Signature does not match.');

    const form = v.safeParse(TwilioStatusForm, params);
    const status = form.success ? STATUS[form.output.MessageStatus] : undefined;
    // Anything signed but not a status we track is acknowledged, so Twilio does not retry it.
    if (!form.success || !status) return c.body(null, 204);
    const result = await verifier.recordDelivery({ messageId: form.output.MessageSid, status, errorCode: form.output.ErrorCode || undefined });
    return result.ok ? c.body(null, 204) : answerError(c, result.error, logger);
  });
}
