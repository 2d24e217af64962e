// The DeliveryWebhook port: a provider's delivery callbacks, authenticated and read into reports.
import type { DeliveryReport } from '../domain/verification/delivery.ts';

/** The parts of an HTTP request a provider's callback is judged on. */
export interface WebhookRequest {
  /** The path as called, with any mount prefix (signatures usually cover it). */
  readonly path: string;
  /** The query string, with its `?`, or empty. */
  readonly search: string;
  readonly headers: Headers;
  readonly body: string;
}

export type WebhookOutcome =
  /** Genuine; `reports` may be empty (a status the service does not track): acknowledged all the same. */
  | { readonly ok: true; readonly reports: readonly DeliveryReport[] }
  /** Not signed, or not signed by the provider: answered SMS_013 and ignored. */
  | { readonly ok: false; readonly detail: string };

/**
 * What a provider folder exports, besides its MessageSender, when the provider reports deliveries.
 * The HTTP layer serves it at `POST /v1/webhooks/{provider}/status`, outside the API keys.
 */
export interface DeliveryWebhook {
  /** Lower-case name, the path segment: `twilio`. */
  readonly provider: string;
  receive(request: WebhookRequest): Promise<WebhookOutcome>;
  /** The callback's body for the API document: its media type and JSON Schema. */
  readonly requestBody?: { readonly contentType: string; readonly schema: Readonly<Record<string, unknown>> };
  /** Headers the provider sends that the document should list (a signature header). */
  readonly headers?: readonly string[];
}
