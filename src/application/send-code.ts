// Which verification a send goes out for: the pending one again, or a new one with a new code.

import { randomId } from '../domain/random.ts';
import { generateCode } from '../domain/verification/code.ts';
import type { SendAttempt, VerificationRecord } from '../domain/verification/verification-record.ts';
import { verificationState } from '../domain/verification/verification-state.ts';
import { nextStepAt } from '../domain/verification/workflow.ts';
import type { VerifierDeps } from './verifier-deps.ts';

export interface CodeToSend {
  readonly record: VerificationRecord;
  readonly code: string;
  /** The phone's pending verification again: its id, code and attempts are kept, nothing is saved. */
  readonly resend: boolean;
}

/**
 * Twilio's behaviour: a send while the phone's verification is pending and unexpired sends the
 * same code again (recovered from its sealed copy), keeps its id and its attempts, so a resend
 * neither resets the guess count nor makes the code the person already has stop working. After
 * approval, expiry, a lock or a cancel, and for a code the caller chose, a new verification.
 * `fixed` is a code the send must carry (a test number's, or a custom code with `keep` false).
 */
export async function codeToSend(
  deps: VerifierDeps,
  phone: string,
  now: Date,
  options: { readonly fixed?: string | undefined; readonly keep: boolean },
): Promise<CodeToSend> {
  if (options.keep) {
    const state = verificationState(await deps.codes.get(phone, now), now, deps.policy);
    if (state.status === 'pending' && state.record.codeSealed) {
      const code = await deps.hasher.open(phone, state.record.codeSealed);
      // A seal no secret opens (the secret was rotated out) starts afresh, as a new verification.
      if (code !== null && (options.fixed === undefined || code === options.fixed))
        return { record: state.record, code, resend: true };
    }
  }
  const code = options.fixed ?? generateCode(deps.policy.codeLength, deps.random);
  const expiresAt = new Date(now.getTime() + deps.policy.codeTtlSeconds * 1000);
  const record: VerificationRecord = {
    phone,
    id: randomId(deps.random),
    codeHash: await deps.hasher.hash(phone, code),
    createdAt: now,
    expiresAt,
    attempts: 0,
    verified: false,
    verifiedAt: null,
    purgeAt: new Date(expiresAt.getTime() + deps.policy.retentionSeconds * 1000),
    delivery: null,
    messageId: null,
    codeSealed: await deps.hasher.seal(phone, code),
    sendAttempts: [],
    // With a fallback workflow, its next step is due after the first one's wait; null: none.
    step: 0,
    nextStepAt: deps.policy.workflow ? nextStepAt(deps.policy.workflow, 0, now) : null,
  };
  return { record, code, resend: false };
}

/** The attempts of `record` with one more. */
export const withAttempt = (record: VerificationRecord, attempt: SendAttempt): readonly SendAttempt[] => [
  ...(record.sendAttempts ?? []),
  attempt,
];
