// The MessageSender port: hands one message to a provider on one channel and says what became of it.
import type { Channel } from '../domain/verification/channel.ts';

export interface OutgoingMessage {
  /** E.164 destination. */
  readonly to: string;
  /** The SMS or WhatsApp text; for a call, what is said. */
  readonly text: string;
  readonly channel: Channel;
  /** The code itself, for providers that fill it into a template of their own (WhatsApp content templates). */
  readonly code?: string | undefined;
  /** The language of the message (a call's voice is chosen by it). */
  readonly locale?: string | undefined;
  /** ISO alpha-2 country of `to` (or `+<code>` for numbers of no country): what routes are chosen by. */
  readonly country?: string | undefined;
  /** The country calling code of `to`, without +: routes may name it (`+44`). */
  readonly callingCode?: string | undefined;
  /** The providers to try, in order, when the service has its own route for this country. */
  readonly route?: readonly string[] | undefined;
}

/** Every outcome names the provider that gave it, for logs, metrics, events and `delivery`. */
export type SendOutcome =
  | { readonly ok: true; readonly provider: string; readonly messageId: string | null }
  | {
      readonly ok: false;
      readonly provider: string;
      /**
       * `destination_refused`: the provider will not send to this number; never retried.
       * `channel_unavailable`: no provider of the message's route sends on its channel.
       */
      readonly reason: 'destination_refused' | 'provider_failed' | 'channel_unavailable';
      readonly providerCode?: string;
      readonly detail: string;
      /**
       * For `provider_failed`: `not_taken` when the provider said so or was never reached, `unknown`
       * when the request may have reached it (a timeout): such a message may still arrive, so it is
       * neither sent again elsewhere nor treated as never sent. Absent means `not_taken`.
       */
      readonly fate?: 'not_taken' | 'unknown';
    };

export interface MessageSender {
  /** The provider's name, lower case (`twilio`): the name in every outcome, log line and metric. */
  readonly provider: string;
  /** The channels this sender delivers; a message on another channel is never handed to it. */
  readonly channels: readonly Channel[];
  /** Never throws for provider answers; those are outcomes. */
  send(message: OutgoingMessage): Promise<SendOutcome>;
}
