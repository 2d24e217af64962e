// Use cases of the operator API: list the fraud guard's blocks, and lift one early.
import { fail, ok, type Result } from '../domain/errors.ts';
import type { FraudBlock } from '../domain/fraud/fraud-block.ts';
import type { VerifierDeps } from './verifier-deps.ts';

export const LIFT_ERRORS = ['MALFORMED_REQUEST', 'FRAUD_BLOCK_NOT_FOUND'] as const;
type LiftError = (typeof LIFT_ERRORS)[number];

/** A number prefix, or a country (`US`) that the surge rule blocked whole. */
const PREFIX = /^(\+[1-9][0-9]{1,14}|[A-Z]{2})$/;

/** Blocks in force (and, in monitor mode, would-be blocks), newest first. */
export async function listBlocks(deps: VerifierDeps): Promise<Result<FraudBlock[], never>> {
  return ok(deps.fraud ? await deps.fraud.activeBlocks(deps.clock.now()) : []);
}

/**
 * Ends a running block now. The prefix's counts start afresh, so the sends that caused the block
 * do not bring it straight back; a prefix that keeps failing is blocked again after `minSends`.
 */
export async function liftBlock(deps: VerifierDeps, prefix: string): Promise<Result<FraudBlock, LiftError>> {
  if (!PREFIX.test(prefix))
    return fail('MALFORMED_REQUEST', 'prefix must be + and 2 to 15 digits, or a country such as US.', {
      fields: ['prefix'],
    });
  const lifted = deps.fraud ? await deps.fraud.lift(prefix, deps.clock.now()) : null;
  if (!lifted) return fail('FRAUD_BLOCK_NOT_FOUND', `No block in force for ${prefix}.`);
  deps.events?.emit({ type: 'fraud_lifted', prefix: lifted.prefix, country: lifted.country });
  return ok(lifted);
}
