// The SmsSender port: hands one message to a provider and says what became of it.

export interface SmsMessage {
  /** E.164 destination. */
  readonly to: string;
  readonly text: string;
}

export type SmsOutcome =
  | { readonly ok: true; readonly messageId: string | null }
  | {
      readonly ok: false;
      /** `destination_refused`: the provider will not send to this number; never retried. */
      readonly reason: 'destination_refused' | 'provider_failed';
      readonly providerCode?: string;
      readonly detail: string;
    };

export interface SmsSender {
  /** Never throws for provider answers; those are outcomes. */
  send(message: SmsMessage): Promise<SmsOutcome>;
}
