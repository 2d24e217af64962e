// The HTTP gateway's delivery callbacks at /v1/webhooks/http/status, verified as Standard Webhooks.

import { Webhook } from 'standardwebhooks';
import * as v from 'valibot';
import type { DeliveryStatus } from '../../domain/verification/verification-record.ts';
import type { DeliveryWebhook } from '../../ports/delivery-webhook.ts';

const STATUSES = ['queued', 'sent', 'delivered', 'undelivered', 'failed'] as const satisfies readonly DeliveryStatus[];

const StatusEvent = v.object({
  type: v.literal('message.status'),
  data: v.object({
    id: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
    status: v.picklist(STATUSES),
    errorCode: v.optional(v.pipe(v.string(), v.maxLength(64))),
  }),
});

/**
 * A callback is `{"type": "message.status", "data": {"id", "status", "errorCode"?}}`, signed as the
 * messages are (`webhook-id`, `webhook-timestamp`, `webhook-signature`); the package refuses a
 * timestamp more than 5 minutes off, so a captured callback cannot be replayed later.
 */
export function createGatewayWebhook(secret: string): DeliveryWebhook {
  const verifier = new Webhook(secret);
  return {
    provider: 'http',
    headers: ['webhook-id', 'webhook-timestamp', 'webhook-signature'],
    requestBody: {
      contentType: 'application/json',
      schema: {
        type: 'object',
        required: ['type', 'data'],
        properties: {
          type: { const: 'message.status' },
          data: {
            type: 'object',
            required: ['id', 'status'],
            properties: { id: { type: 'string' }, status: { enum: [...STATUSES] }, errorCode: { type: 'string' } },
          },
        },
      },
    },
    async receive(request) {
      const headers = Object.fromEntries(
        ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => [name, request.headers.get(name) ?? '']),
      );
      let payload: unknown;
      try {
        payload = verifier.verify(request.body, headers);
      } catch (error) {
        return {
          ok: false,
          detail: `The Standard Webhooks signature is missing, wrong or stale (${(error as Error).message}).`,
        };
      }
      const event = v.safeParse(StatusEvent, payload);
      // Anything signed but not a status we track is acknowledged, so the gateway does not retry it.
      if (!event.success) return { ok: true, reports: [] };
      const { id, status, errorCode } = event.output.data;
      return { ok: true, reports: [{ messageId: id, status, ...(errorCode ? { errorCode } : {}) }] };
    },
  };
}
