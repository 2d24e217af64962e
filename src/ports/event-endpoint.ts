// The EventEndpoint port: where an app hears of its verifications (a signed POST, on Node and Workers).
import type { OutboxEvent } from './event-outbox.ts';

export type EndpointAnswer = { readonly ok: true } | { readonly ok: false; readonly error: string };

export interface EventEndpoint {
  /** One delivery of `event`; ok only for a 2xx answer within the endpoint's timeout. */
  send(event: OutboxEvent): Promise<EndpointAnswer>;
}
