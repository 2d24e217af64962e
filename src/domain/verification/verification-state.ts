// What a stored verification means at a given moment: the order in which the rules are read.
import type { VerificationPolicy } from '../policy.ts';
import type { VerificationRecord } from './verification-record.ts';

/** The verification at one moment; every state but `none` carries the record it was read from. */
export type VerificationState =
  | { readonly status: 'none' }
  | { readonly status: 'approved' | 'expired' | 'locked' | 'pending'; readonly record: VerificationRecord };

/**
 * Classifies a record at `now`. Expiry is decided here, on read, whatever the store's own cleanup
 * has done; an expired code outranks a lock (SPEC: "expiry wins over a lock").
 */
export function verificationState(
  record: VerificationRecord | null,
  now: Date,
  policy: VerificationPolicy,
): VerificationState {
  if (!record || record.purgeAt.getTime() <= now.getTime()) return { status: 'none' };
  if (record.verified) {
    const lapses = (record.verifiedAt?.getTime() ?? 0) + policy.verifiedTtlSeconds * 1000;
    return lapses > now.getTime() ? { status: 'approved', record } : { status: 'none' };
  }
  if (record.expiresAt.getTime() <= now.getTime()) return { status: 'expired', record };
  if (record.attempts >= policy.maxCheckAttempts) return { status: 'locked', record };
  return { status: 'pending', record };
}
