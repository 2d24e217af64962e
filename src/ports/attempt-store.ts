// The AttemptStore port: every message a provider took, with its fate and whether it converted.
import type { AttemptFilter, AttemptGroup, AttemptRecord, AttemptTotals } from '../domain/attempts/attempt.ts';
import type { DeliveryStatus } from '../domain/verification/verification-record.ts';

export type { AttemptFilter, AttemptGroup, AttemptRecord, AttemptTotals };

export interface AttemptPage {
  /** Newest first. */
  readonly attempts: readonly AttemptRecord[];
  /** Where the next page starts, or null at the end. Opaque. */
  readonly next: string | null;
}

export interface AttemptStore {
  /** Records an attempt; kept until `createdAt` + the store's retention. */
  add(attempt: AttemptRecord): Promise<void>;
  /** Moves the delivery of the attempt that sent `messageId` forward only (queued → sent → final). */
  recordDelivery(messageId: string, status: DeliveryStatus, at: Date): Promise<boolean>;
  /** Marks every attempt of the verification converted; how many changed. */
  markConverted(verificationId: string, at: Date): Promise<number>;
  get(sid: string): Promise<AttemptRecord | null>;
  /** A page of the attempts `filter` selects, newest first; `after` is a previous page's `next`. */
  list(
    filter: AttemptFilter,
    page: { readonly limit: number; readonly after?: string | undefined },
  ): Promise<AttemptPage>;
  /** Totals over what `filter` selects, and per value of `groupBy` when asked (largest first). */
  summary(
    filter: AttemptFilter,
    groupBy?: AttemptGroup,
  ): Promise<AttemptTotals & { readonly groups?: readonly (AttemptTotals & { readonly key: string })[] }>;
  ping(): Promise<void>;
}
