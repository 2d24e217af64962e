// Which use-case events an app hears about, under which Standard Webhooks type, with what data.
import type { VerificationEvent } from '../events.ts';

export const WEBHOOK_EVENT_TYPES = [
  'verification.started',
  'verification.resent',
  'verification.delivered',
  'verification.undelivered',
  'verification.approved',
  'verification.canceled',
  'verification.locked',
  'verification.expired',
  'verification.fraud_blocked',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What an event says: never a code, never a whole number (the phone's last four digits at most). */
export interface WebhookEvent {
  readonly type: WebhookEventType;
  readonly data: Readonly<Record<string, unknown>>;
}

/** The webhook event for a use-case event, or null for those an app is not told of (checks, limits). */
export function webhookEventOf(event: VerificationEvent): WebhookEvent | null {
  const about = (e: { phoneTail: string; country: string | undefined }) => ({
    phoneTail: e.phoneTail,
    country: e.country ?? null,
  });
  switch (event.type) {
    case 'sent':
      return {
        type: event.resend ? 'verification.resent' : 'verification.started',
        data: { ...about(event), channel: event.channel, provider: event.provider },
      };
    case 'delivery':
      if (event.deliveryStatus === 'delivered') return { type: 'verification.delivered', data: {} };
      if (event.deliveryStatus === 'undelivered' || event.deliveryStatus === 'failed')
        return { type: 'verification.undelivered', data: { status: event.deliveryStatus } };
      return null;
    case 'approved':
      return {
        type: 'verification.approved',
        data: {
          ...about(event),
          ...(event.channel ? { channel: event.channel } : {}),
          ...(event.provider ? { provider: event.provider } : {}),
        },
      };
    case 'cancelled':
      return { type: 'verification.canceled', data: about(event) };
    case 'lockout':
      return { type: 'verification.locked', data: about(event) };
    case 'expired':
      return { type: 'verification.expired', data: about(event) };
    case 'fraud_refused':
      return { type: 'verification.fraud_blocked', data: { prefix: event.prefix, country: event.country } };
    default:
      return null;
  }
}

/** The wait before try `attempt + 1`: 5 s doubling to at most an hour, each within ±20 %. */
export function retryDelayMs(attempt: number, random: number): number {
  const base = Math.min(3_600_000, 5000 * 2 ** Math.min(attempt, 20));
  return Math.round(base * (0.8 + 0.4 * random));
}

/** Events are retried for a day after they happened, then given up. */
export const WEBHOOK_RETRY_MS = 24 * 3_600_000;
