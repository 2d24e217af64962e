// The CodeStore port: one verification per phone, with the operations that must be atomic.
import type { Delivery, SendAttempt, VerificationRecord } from '../domain/verification/verification-record.ts';

/** What a provider took: the attempt, and the message id its callbacks will name (null: none). */
export interface TakenSend {
  readonly attempt: SendAttempt;
  readonly messageId: string | null;
}

export interface CodeStore {
  /** The phone's record, or null when there is none or its `purgeAt` has passed. */
  get(phone: string, now: Date): Promise<VerificationRecord | null>;
  /**
   * Stores the record, replacing whatever the phone had, and returns the record it replaced (null
   * when there was none), read in the same atomic step so that `restore` can put it back exactly.
   */
  put(record: VerificationRecord): Promise<VerificationRecord | null>;
  /**
   * Undoes `put` of send `id` (no provider took its message): puts `previous` back, or deletes the
   * record when `previous` is null, only while the phone's record is still send `id`'s. True when
   * it did; false when another send or a cancel came first, which then stands.
   */
  restore(phone: string, id: string, previous: VerificationRecord | null): Promise<boolean>;
  /**
   * Counts one wrong check against send `id`, only while that send is stored, unapproved,
   * unexpired at `now` and below `maxAttempts`. Returns the new count, or null if nothing was counted.
   */
  recordWrongCheck(phone: string, id: string, maxAttempts: number, now: Date): Promise<number | null>;
  /**
   * Approves send `id` under the same conditions, setting `verifiedAt = now` and `purgeAt`, and
   * erasing the sealed code. True only for the one call that made the change.
   */
  approve(phone: string, id: string, maxAttempts: number, now: Date, purgeAt: Date): Promise<boolean>;
  /**
   * Records that a provider took a message of send `id`: appends the attempt and, with a message
   * id, stores it and sets the delivery to queued at the attempt's time, naming the provider (a
   * resend's message is the one tracked from then on). False when that send is no longer stored.
   */
  recordSend(phone: string, id: string, taken: TakenSend): Promise<boolean>;
  /**
   * Moves the delivery of message `messageId` to `delivery`'s status (keeping its provider), unless
   * its current status is final or later in the queued → sent → final order; an undelivered or
   * failed one also makes a workflow's next step due at once. Returns whether anything changed.
   */
  recordDelivery(messageId: string, delivery: Delivery): Promise<boolean>;
  /**
   * Deletes the phone's record, or with `id` only while it is still send `id`'s (so a cancel read
   * before a new send cannot delete the newer verification). False when nothing was deleted: none
   * stored, past `purgeAt`, or replaced by another send.
   */
  remove(phone: string, now: Date, id?: string): Promise<boolean>;
  /**
   * Verifications whose workflow step is due at `now` (at most `limit`): pending ones only, not
   * approved, expired or locked (under `maxAttempts`).
   */
  dueSteps(now: Date, maxAttempts: number, limit: number): Promise<{ phone: string; id: string; step: number }[]>;
  /**
   * Takes step `step + 1` of send `id`: one conditional write, true for the one caller whose
   * write moved the step (so of any number of instances exactly one sends it), setting the step
   * after it to be due at `nextAt` (null: none).
   */
  claimStep(phone: string, id: string, step: number, now: Date, nextAt: Date | null): Promise<boolean>;
  /**
   * Erases the sealed code of every verification expired by `now` (no resend can use it any
   * more; the record itself stays until `purgeAt` for status reads). Answers how many.
   */
  eraseExpiredSeals(now: Date): Promise<number>;
  /** Resolves when the store answers; rejects with StoreUnavailableError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
