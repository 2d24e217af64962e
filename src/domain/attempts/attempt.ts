// Send attempts as the model sees them: a record per message a provider took, and how they are
// filtered, ordered, paged and totalled, the same in every store.
import type { Channel } from '../verification/channel.ts';
import type { DeliveryStatus } from '../verification/verification-record.ts';

/** One send attempt: a message a provider took for a verification (a resend is another attempt). */
export interface AttemptRecord {
  /** `VL` and 32 hex digits, as Twilio names attempts. */
  readonly sid: string;
  /** The verification's id in the store (approvals name it). */
  readonly verificationId: string;
  /** The verification's public id (`VE…`), as /v2 names it. */
  readonly verificationSid: string;
  readonly serviceSid: string;
  readonly channel: Channel;
  readonly provider: string;
  readonly country: string | null;
  /** The conversion prefix: the number without its last five digits. */
  readonly prefix: string;
  /** The last four digits, never more. */
  readonly phoneTail: string;
  readonly messageId: string | null;
  readonly deliveryStatus: DeliveryStatus | null;
  readonly converted: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface AttemptFilter {
  readonly serviceSid?: string | undefined;
  readonly verificationSid?: string | undefined;
  readonly messageId?: string | undefined;
  readonly country?: string | undefined;
  readonly channel?: Channel | undefined;
  readonly provider?: string | undefined;
  readonly prefix?: string | undefined;
  readonly converted?: boolean | undefined;
  /** Created at or after. */
  readonly from?: Date | undefined;
  /** Created before. */
  readonly to?: Date | undefined;
}

export const ATTEMPT_GROUPS = ['country', 'channel', 'provider', 'prefix'] as const;
export type AttemptGroup = (typeof ATTEMPT_GROUPS)[number];

export interface AttemptTotals {
  readonly totalAttempts: number;
  readonly converted: number;
  readonly unconverted: number;
}

/** Newest first; the sid breaks ties, so the order is total and a cursor is exact. */
export function newestFirst(a: AttemptRecord, b: AttemptRecord): number {
  return b.createdAt.getTime() - a.createdAt.getTime() || (a.sid < b.sid ? 1 : a.sid > b.sid ? -1 : 0);
}

/** A page's continuation: the last attempt's time and sid. */
export const cursorAfter = (a: AttemptRecord): string => `${a.createdAt.getTime()}_${a.sid}`;

export function parseCursor(cursor: string): { readonly time: number; readonly sid: string } | null {
  const m = /^(\d{1,15})_(VL[0-9a-f]{32})$/.exec(cursor);
  return m ? { time: Number(m[1]), sid: m[2]! } : null;
}

/** Whether `a` comes after the cursor in newest-first order. */
export function isAfter(a: AttemptRecord, cursor: { readonly time: number; readonly sid: string }): boolean {
  const t = a.createdAt.getTime();
  return t < cursor.time || (t === cursor.time && a.sid < cursor.sid);
}

export function matches(a: AttemptRecord, f: AttemptFilter): boolean {
  return (
    (f.serviceSid === undefined || a.serviceSid === f.serviceSid) &&
    (f.verificationSid === undefined || a.verificationSid === f.verificationSid) &&
    (f.messageId === undefined || a.messageId === f.messageId) &&
    (f.country === undefined || a.country === f.country) &&
    (f.channel === undefined || a.channel === f.channel) &&
    (f.provider === undefined || a.provider === f.provider) &&
    (f.prefix === undefined || a.prefix === f.prefix) &&
    (f.converted === undefined || a.converted === f.converted) &&
    (f.from === undefined || a.createdAt.getTime() >= f.from.getTime()) &&
    (f.to === undefined || a.createdAt.getTime() < f.to.getTime())
  );
}

export const totals = (attempts: number, converted: number): AttemptTotals => ({
  totalAttempts: attempts,
  converted,
  unconverted: attempts - converted,
});

/** Converted over all, 0 when there were none. */
export const conversionRate = (t: AttemptTotals): number => (t.totalAttempts === 0 ? 0 : t.converted / t.totalAttempts);
