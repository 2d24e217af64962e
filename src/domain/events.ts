// What the use cases report, for logs and metrics: one shape per event type. Phones appear as their tail only.

import type { FraudBlock } from './fraud/fraud-block.ts';
import type { Channel } from './verification/channel.ts';
import type { DeliveryStatus } from './verification/verification-record.ts';

/**
 * Who an event is about: the last four digits of the phone, never more, and its country; the
 * verification's id where there is one, and the service (set by the service that emitted it).
 */
interface About {
  readonly phoneTail: string;
  readonly country: string | undefined;
  readonly verificationId?: string | undefined;
  readonly serviceSid?: string | undefined;
}

/**
 * Check outcomes are approved, wrong_code, expired, locked (refused: too many wrong checks) and
 * not_pending; `lockout` marks the wrong check that used the last attempt (it also counts as
 * wrong_code). Send outcomes are sent, test_code_issued, rate_limited, destination_refused and
 * provider_failed. `refund_failed`: a send that never reached the provider could not be taken
 * back from the limits, so it still counts against them until its window passes. `restore_failed`:
 * a send no provider took could not put the previous verification back, so the new (unsent) code
 * stands and the phone's guess limit alone bounds its checks.
 */
export type VerificationEvent =
  | (About & { readonly type: 'test_code_issued' | 'cancelled' | 'refund_failed' | 'restore_failed' })
  /**
   * What went to a provider names it and the channel; `resend`: the same code again (a pending
   * verification's); `messageId`: the provider's, which its delivery reports name; `prefix`: the
   * conversion prefix (the number without its last five digits).
   */
  | (About & {
      readonly type: 'sent';
      readonly provider: string;
      readonly channel: Channel;
      readonly resend?: boolean;
      readonly messageId?: string | null;
      readonly prefix?: string;
    })
  | (About & { readonly type: 'wrong_code' | 'lockout' | 'locked' | 'expired' | 'not_pending' })
  /**
   * `provider` and `channel`: those of the last send of the approved code (none for a test
   * number's): the send the person most likely read or heard.
   */
  | (About & {
      readonly type: 'approved';
      readonly provider?: string | undefined;
      readonly channel?: Channel | undefined;
    })
  /** `reasons`: which limits refused (phone, cooldown, ip, prefix, budget). */
  | (About & { readonly type: 'rate_limited'; readonly reasons: readonly string[] })
  | (About & {
      readonly type: 'destination_refused' | 'provider_failed';
      readonly provider: string;
      readonly channel: Channel;
      readonly providerCode: string | undefined;
    })
  /** A fallback workflow's step: sent, or dropped (`reason`: limited, no longer pending, …). */
  | (About & {
      readonly type: 'fallback_sent' | 'fallback_dropped';
      readonly channel: Channel;
      readonly step: number;
      readonly reason?: string;
    })
  /** A send refused before any limit or provider: the number's type (premium_rate, …) gets no codes. */
  | (About & { readonly type: 'number_type_refused'; readonly numberType: string })
  | {
      readonly type: 'delivery';
      readonly deliveryStatus: DeliveryStatus;
      readonly messageId?: string;
      readonly serviceSid?: string | undefined;
    }
  /**
   * The fraud guard. A prefix is the number without its last five digits, so these events carry
   * no phone tail: the two together would all but name the number.
   */
  | (FraudBlock & { readonly type: 'fraud_blocked'; readonly serviceSid?: string | undefined })
  /** `fraud_refused`: a send refused by a block (SMS_015); `fraud_count_failed`: a store outage cost one count. */
  | {
      readonly type: 'fraud_refused' | 'fraud_lifted' | 'fraud_count_failed';
      readonly prefix: string;
      readonly country: string;
      readonly serviceSid?: string | undefined;
    };

export type VerificationEventType = VerificationEvent['type'];
