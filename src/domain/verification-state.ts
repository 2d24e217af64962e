// What a stored verification means at a given moment: the order in which the rules are read.
import type { VerificationRecord } from './verification-record.ts';
import type { VerificationPolicy } from './policy.ts';

export type VerificationState = 'none' | 'approved' | 'expired' | 'locked' | 'pending';

/**
 * Classifies a record at `now`. Expiry is decided here, on read, whatever the store's own cleanup
 * has done; an expired code outranks a lock (SPEC: "expiry wins over a lock").
 */
export function verificationState(
  record: VerificationRecord | null,
  now: Date,
  policy: VerificationPolicy,
): VerificationState {
  if (!record || record.purgeAt.getTime() <= now.getTime()) return 'none';
  if (record.verified) {
    const lapses = (record.verifiedAt?.getTime() ?? 0) + policy.verifiedTtlSeconds * 1000;
    return lapses > now.getTime() ? 'approved' : 'none';
  }
  if (record.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (record.attempts >= policy.maxCheckAttempts) return 'locked';
  return 'pending';
}
