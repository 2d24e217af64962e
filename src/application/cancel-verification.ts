// Use case: cancel a phone's verification, so its code can no longer be approved.
import { fail, ok, type Result } from '../domain/errors.ts';
import { parsePhone, phoneTail } from '../domain/phone/phone.ts';
import type { LookupError } from './get-verification.ts';
import type { VerifierDeps } from './verifier-deps.ts';

/**
 * Deletes the phone's verification so its code can no longer be approved. With `createdAt`, only
 * the verification created then: a client cancelling what it read never cancels a newer send.
 */
export async function cancelVerification(
  deps: VerifierDeps,
  rawPhone: string,
  createdAt?: Date,
): Promise<Result<null, LookupError>> {
  const parsed = parsePhone(rawPhone, undefined, deps.policy);
  if (!parsed.ok) return parsed;
  const now = deps.clock.now();
  // Read first in any case: the event names the verification it cancelled.
  const record = await deps.codes.get(parsed.value.e164, now);
  if (!record) return fail('NOT_FOUND', 'No verification for this phone.');
  if (createdAt !== undefined && record.createdAt.getTime() !== createdAt.getTime()) {
    return fail('NOT_FOUND', 'No such verification for this phone: a newer code has replaced it.');
  }
  // Tied to the verification read, so a cancel never deletes a newer send made meanwhile.
  const removed = await deps.codes.remove(parsed.value.e164, now, record.id);
  if (!removed) return fail('NOT_FOUND', 'No verification for this phone.');
  deps.events?.emit(
    {
      type: 'cancelled',
      phoneTail: phoneTail(parsed.value.e164),
      country: parsed.value.country,
      verificationId: record.id,
    },
    { phone: parsed.value.e164, createdAt: record.createdAt },
  );
  return ok(null);
}
