// Use case: read a phone's verification as a client sees it.

import { fail, ok, type Result } from '../domain/errors.ts';
import { parsePhone } from '../domain/phone/phone.ts';
import type { Delivery, SendAttempt } from '../domain/verification/verification-record.ts';
import { verificationState } from '../domain/verification/verification-state.ts';
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
  /** Every send of its code: channel, provider, time. */
  readonly sendAttempts: readonly SendAttempt[];
}

/** Every expected failure of reading (and of cancelling); the API document and the result type derive from this list. */
export const LOOKUP_ERRORS = ['INVALID_PHONE', 'COUNTRY_NOT_ALLOWED', 'NOT_FOUND'] as const;
export type LookupError = (typeof LOOKUP_ERRORS)[number];

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
    sendAttempts: record.sendAttempts ?? [],
  });
}
