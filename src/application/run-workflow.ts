// The fallback workflow's scheduler: due steps claimed in the store, each sent once, as a resend.
import { phoneTail } from '../domain/phone/phone.ts';
import { nextStepAt } from '../domain/verification/workflow.ts';
import { startVerification } from './start-verification.ts';
import type { VerifierDeps } from './verifier-deps.ts';

/** Due steps taken in one pass; more wait for the next. */
const BATCH = 100;

/**
 * Sends every step that is due now: each claimed by one conditional write tied to the step it
 * saw (so of any number of instances exactly one sends it, and a restart loses none: the schedule
 * is in the store), then sent as a resend of the same code on the step's channel, counted by the
 * send limits and the fraud guard like any send. Nothing is sent after approval, cancellation,
 * expiry or a lock: the scan skips those, and a send that finds the verification gone sends
 * nothing. Answers how many steps went out.
 */
export async function runDueSteps(deps: VerifierDeps, options: { readonly bareOnly: boolean }): Promise<number> {
  const workflow = deps.policy.workflow;
  if (!workflow) return 0;
  const now = deps.clock.now();
  const due = await deps.codes.dueSteps(now, deps.policy.maxCheckAttempts, BATCH);
  let sent = 0;
  for (const { phone, id, step } of due) {
    // The default service's store holds every service's records: its own are the bare numbers.
    if (options.bareOnly && !phone.startsWith('+')) continue;
    const next = workflow[step + 1];
    if (!next) continue;
    if (!(await deps.codes.claimStep(phone, id, step, now, nextStepAt(workflow, step + 1, now)))) continue;
    const result = await startVerification(deps, { phone, channel: next.channel, resendOf: id });
    deps.events?.emit({
      type: result.ok ? 'fallback_sent' : 'fallback_dropped',
      phoneTail: phoneTail(phone),
      country: undefined,
      channel: next.channel,
      step: step + 1,
      ...(result.ok ? {} : { reason: result.error.name }),
    });
    if (result.ok) sent += 1;
  }
  return sent;
}
