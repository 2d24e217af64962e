// Use cases: read a phone's verification, and cancel it.

import { fail, ok, type Result } from './errors.ts';
import { parsePhone, phoneTail } from './phone.ts';
import type { Delivery } from './verification-record.ts';
import { verificationState } from './verification-state.ts';
import type { VerifierDeps } from './verifier-deps.ts';

export interface VerificationView {
  readonly phone: string;
  readonly status: 'pending' | 'approved' | 'expired' | 'locked';
  readonly verified: boolean;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly verifiedAt: Date | null;
  readonly attemptsRemaining: number;
  readonly delivery: Delivery | null;
}

/** Every expected failure of reading or cancelling; the API document and the result type derive from this list. */
export const LOOKUP_ERRORS = ['INVALID_PHONE', 'COUNTRY_NOT_ALLOWED', 'NOT_FOUND'] as const;
type LookupError = (typeof LOOKUP_ERRORS)[number];

/** The phone's verification as a client sees it; SMS_006 once it is purged or its approval lapsed. */
export async function getVerification(
  deps: VerifierDeps,
  rawPhone: string,
): Promise<Result<VerificationView, LookupError>> {
  const parsed = parsePhone(rawPhone, undefined, deps.policy);
  if (!parsed.ok) return parsed;
  const now = deps.clock.now();
  const state = verificationState(await deps.codes.get(parsed.value.e164, now), now, deps.policy);
  if (state.status === 'none') return fail('NOT_FOUND', 'No verification for this phone.');
  const { record } = state;
  return ok({
    phone: record.phone,
    status: state.status,
    verified: state.status === 'approved',
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    verifiedAt: record.verifiedAt,
    attemptsRemaining: Math.max(0, deps.policy.maxCheckAttempts - record.attempts),
    delivery: record.delivery,
  });
}

/**
 * Deletes the phone's verification so its code can no longer be approved. With `sentAt`, only the
 * verification sent then: a client cancelling what it read is never taken to cancel a newer send.
 */
export async function cancelVerification(
  deps: VerifierDeps,
  rawPhone: string,
  sentAt?: Date,
): Promise<Result<null, LookupError>> {
  const parsed = parsePhone(rawPhone, undefined, deps.policy);
  if (!parsed.ok) return parsed;
  const now = deps.clock.now();
  let id: string | undefined;
  if (sentAt !== undefined) {
    const record = await deps.codes.get(parsed.value.e164, now);
    if (!record) return fail('NOT_FOUND', 'No verification for this phone.');
    if (record.createdAt.getTime() !== sentAt.getTime()) {
      return fail('NOT_FOUND', 'No such verification for this phone: a newer code has replaced it.');
    }
    id = record.id;
  }
  const removed = await deps.codes.remove(parsed.value.e164, now, id);
  if (!removed) return fail('NOT_FOUND', 'No verification for this phone.');
  deps.events?.emit({ type: 'cancelled', phoneTail: phoneTail(parsed.value.e164), country: parsed.value.country });
  return ok(null);
}
