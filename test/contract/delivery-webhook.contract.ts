// The DeliveryWebhook contract: a provider's genuine callback becomes a report; anything else is refused.
import { describe, expect, it } from 'vitest';
import type { DeliveryStatus } from '../../src/domain/verification/verification-record.ts';
import type { DeliveryWebhook, WebhookRequest } from '../../src/ports/delivery-webhook.ts';
import { itIfPromised } from './declared.ts';

/** How the provider would call back about message `messageId`, in its own words for `status`. */
export interface CallbackMaker {
  /** Signed (or otherwise authenticated) as the provider does. */
  genuine(messageId: string, status: DeliveryStatus): Promise<WebhookRequest>;
  /** The same callback with its authentication missing. */
  unsigned(messageId: string, status: DeliveryStatus): Promise<WebhookRequest>;
}

export interface DeliveryWebhookCapabilities {
  /**
   * The authentication covers the body (a signature over it), so a changed body is refused. A
   * provider that only proves who is calling (a shared key in a header) declares it does not.
   */
  readonly signsBody: boolean;
}

export interface DeliveryWebhookHarness {
  fresh(): Promise<{ webhook: DeliveryWebhook; callbacks: CallbackMaker }>;
  readonly capabilities: DeliveryWebhookCapabilities;
  /** Why a capability is absent, printed in the skipped case's title. */
  readonly gaps?: Partial<Record<keyof DeliveryWebhookCapabilities, string>>;
  /** Cases only this webhook has, run inside the suite. */
  additionalTests?(fresh: DeliveryWebhookHarness['fresh']): void;
}

export function deliveryWebhookContract(name: string, harness: DeliveryWebhookHarness) {
  describe(`DeliveryWebhook contract: ${name}`, () => {
    it('names its provider in lower case: the path segment it is served at', async () => {
      const { webhook } = await harness.fresh();
      expect(webhook.provider).toMatch(/^[a-z][a-z0-9-]*$/);
    });

    it('reads a genuine callback into a report of its message and status', async () => {
      const { webhook, callbacks } = await harness.fresh();
      for (const status of ['delivered', 'failed'] as const) {
        const outcome = await webhook.receive(await callbacks.genuine('msg-0001', status));
        expect(outcome).toEqual({ ok: true, reports: [expect.objectContaining({ messageId: 'msg-0001', status })] });
      }
    });

    it('refuses a callback without its authentication, saying why, and throws for none', async () => {
      const { webhook, callbacks } = await harness.fresh();
      const outcome = await webhook.receive(await callbacks.unsigned('msg-0001', 'delivered'));
      expect(outcome).toMatchObject({ ok: false, detail: expect.any(String) });
    });

    itIfPromised(harness.capabilities.signsBody, harness.gaps?.signsBody ?? '')(
      'refuses a genuine callback whose body was changed after it was signed',
      async () => {
        const { webhook, callbacks } = await harness.fresh();
        const genuine = await callbacks.genuine('msg-0001', 'failed');
        const tampered = { ...genuine, body: genuine.body.replace('msg-0001', 'msg-0002') };
        expect(tampered.body).not.toBe(genuine.body);
        expect(await webhook.receive(tampered)).toMatchObject({ ok: false });
      },
    );

    it('describes its request for the API document when it declares one', async () => {
      const { webhook } = await harness.fresh();
      if (webhook.requestBody) {
        expect(webhook.requestBody.contentType).toMatch(/^application\//);
        expect(webhook.requestBody.schema).toMatchObject({ type: 'object' });
      }
      for (const header of webhook.headers ?? []) expect(header).toMatch(/^[A-Za-z0-9-]+$/);
    });

    harness.additionalTests?.(harness.fresh);
  });
}
