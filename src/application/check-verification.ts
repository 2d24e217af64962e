// Use case: check the code a person typed.

import { fail, ok, type Result } from '../domain/errors.ts';
import { retryAfterSeconds } from '../domain/limits/limit-arithmetic.ts';
import { guessLimit } from '../domain/limits/limit-rules.ts';
import { parsePhone, phoneTail } from '../domain/phone/phone.ts';
import { randomId } from '../domain/random.ts';
import { CODE_RULE, isWellFormedCode } from '../domain/verification/code.ts';
import { verificationState } from '../domain/verification/verification-state.ts';
import { countApproval } from './fraud-guard.ts';
import type { VerifierDeps } from './verifier-deps.ts';

export interface CheckInput {
  readonly phone: string;
  readonly code: string;
  readonly country?: string | undefined;
}

export interface ApprovedVerification {
  readonly phone: string;
  readonly status: 'approved';
  readonly verifiedAt: Date;
}

/** Every expected failure of a check; the API document and the result type derive from this list. */
export const CHECK_ERRORS = [
  'MALFORMED_REQUEST',
  'INVALID_PHONE',
  'COUNTRY_NOT_ALLOWED',
  'NOT_FOUND',
  'CODE_EXPIRED',
  'TOO_MANY_ATTEMPTS',
  'WRONG_CODE',
] as const;
type CheckError = (typeof CHECK_ERRORS)[number];

/** Rounds before giving up when other requests keep changing the record between read and write. */
const MAX_ROUNDS = 5;

/**
 * Reads the verification, compares the code in constant time, then approves or counts the wrong
 * check with one conditional store call tied to this send's id. When a concurrent request won
 * (approved, locked or replaced the code first) the condition fails and the check is read again,
 * so of 50 parallel right checks exactly one approves, and wrong checks stop at the cap.
 */
export async function checkVerification(
  deps: VerifierDeps,
  input: CheckInput,
): Promise<Result<ApprovedVerification, CheckError>> {
  if (!isWellFormedCode(input.code)) return fail('MALFORMED_REQUEST', `code ${CODE_RULE}.`, { fields: ['code'] });
  const { policy, clock } = deps;
  const parsed = parsePhone(input.phone, input.country, policy);
  if (!parsed.ok) return parsed;
  const { e164: phone, country } = parsed.value;
  const event = { phoneTail: phoneTail(phone), country };

  for (let round = 0; round < MAX_ROUNDS; round++) {
    const now = clock.now();
    const state = verificationState(await deps.codes.get(phone, now), now, policy);
    if (state.status === 'none' || state.status === 'approved') {
      deps.events?.emit({ type: 'not_pending', ...event });
      return fail('NOT_FOUND', 'No pending verification for this phone; send a code first.');
    }
    if (state.status === 'expired') {
      deps.events?.emit(
        { type: 'expired', ...event, verificationId: state.record.id },
        { phone, createdAt: state.record.createdAt },
      );
      return fail('CODE_EXPIRED', 'The code has expired; send a new one.');
    }
    if (state.status === 'locked') {
      deps.events?.emit({ type: 'locked', ...event });
      return fail('TOO_MANY_ATTEMPTS', 'Too many wrong codes; send a new one.');
    }

    const { record } = state;
    // Every check is charged to the phone's guess window before the code is compared, so that a
    // refusal says nothing about the code; a check that turns out not to be a counted wrong guess
    // is refunded. The window belongs to the phone, not to a code or a service: no send, failed
    // send, cancel or other service resets it, so wrong guesses stay bounded whatever the sends do.
    const guesses = [guessLimit(policy, phone)];
    const guessCharge = randomId(deps.random);
    const admission = await deps.limits.admit(guessCharge, guesses, now);
    if (!admission.admitted) {
      const retryAfter = retryAfterSeconds(admission.states, now.getTime());
      deps.events?.emit({ type: 'locked', ...event });
      return fail('TOO_MANY_ATTEMPTS', `Too many wrong codes for this number; try again in ${retryAfter} s.`, {
        retryAfter,
      });
    }
    const right = await deps.hasher.verify(phone, input.code, record.codeHash);
    if (!right) {
      const attempts = await deps.codes.recordWrongCheck(phone, record.id, policy.maxCheckAttempts, now);
      if (attempts !== null) {
        const attemptsRemaining = Math.max(0, policy.maxCheckAttempts - attempts);
        deps.events?.emit({ type: 'wrong_code', ...event, verificationId: record.id });
        if (attemptsRemaining === 0)
          deps.events?.emit(
            { type: 'lockout', ...event, verificationId: record.id },
            { phone, createdAt: record.createdAt },
          );
        return fail('WRONG_CODE', 'Wrong code.', { attemptsRemaining });
      }
    }
    await deps.limits.refund(guessCharge, guesses);
    if (right) {
      const purgeAt = new Date(now.getTime() + policy.verifiedTtlSeconds * 1000);
      if (await deps.codes.approve(phone, record.id, policy.maxCheckAttempts, now, purgeAt)) {
        // A code the caller chose proves nothing about the number: not a conversion.
        if (!record.customCode) await countApproval(deps, parsed.value, now);
        const last = record.sendAttempts?.at(-1);
        deps.events?.emit(
          {
            type: 'approved',
            ...event,
            verificationId: record.id,
            provider: last?.provider ?? record.delivery?.provider,
            channel: last?.channel,
          },
          { phone, createdAt: record.createdAt },
        );
        return ok({ phone, status: 'approved', verifiedAt: now });
      }
    }
  }
  throw new Error(`check of ${event.phoneTail} lost ${MAX_ROUNDS} races in a row`);
}
