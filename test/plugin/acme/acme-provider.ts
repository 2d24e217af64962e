// A throwaway second SMS provider, written only against the ports: its sender and its signed callbacks.
import type { DeliveryWebhook } from '../../../src/ports/delivery-webhook.ts';
import type { MessageSender } from '../../../src/ports/message-sender.ts';

export interface AcmeProvider {
  readonly sender: MessageSender;
  readonly webhook: DeliveryWebhook;
  /** What Acme's network was handed, with the ids it gave. */
  readonly outbox: { id: string; to: string; text: string }[];
}

/** Acme signs each callback by sending its shared secret in `X-Acme-Key`, and posts JSON. */
export function createAcmeProvider(secret: string): AcmeProvider {
  const outbox: AcmeProvider['outbox'] = [];
  return {
    outbox,
    sender: {
      provider: 'acme',
      channels: ['sms'],
      async send({ to, text }) {
        if (to.startsWith('+1900'))
          return {
            ok: false,
            provider: 'acme',
            reason: 'destination_refused',
            providerCode: 'ACME-PREMIUM',
            detail: 'Acme will not send to premium numbers.',
          };
        const id = `acme-${outbox.length + 1}`;
        outbox.push({ id, to, text });
        return { ok: true, provider: 'acme', messageId: id };
      },
    },
    webhook: {
      provider: 'acme',
      headers: ['X-Acme-Key'],
      requestBody: {
        contentType: 'application/json',
        schema: { type: 'object', properties: { id: { type: 'string' }, state: { type: 'string' } } },
      },
      async receive(request) {
        if (request.headers.get('X-Acme-Key') !== secret)
          return { ok: false, detail: 'X-Acme-Key is missing or wrong.' };
        const { id, state } = JSON.parse(request.body) as { id: string; state: string };
        const status = state === 'DELIVERED' ? 'delivered' : state === 'LOST' ? 'failed' : undefined;
        return { ok: true, reports: status ? [{ messageId: id, status }] : [] };
      },
    },
  };
}
