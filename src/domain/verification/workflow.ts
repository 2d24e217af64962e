// Fallback workflows: the channels a code goes out on by itself, one after another, until it is approved.
import { CHANNELS, type Channel } from './channel.ts';

/** One step: send on `channel`, then wait `waitSeconds` for an approval before the next (null: the last). */
export interface WorkflowStep {
  readonly channel: Channel;
  readonly waitSeconds: number | null;
}

export type Workflow = readonly WorkflowStep[];

/**
 * Reads `sms:60,whatsapp:60,call`: every step but the last names its wait in seconds (1 to
 * 86400), the last none. Answers the steps, or a message saying what is wrong.
 */
export function parseWorkflow(text: string): { ok: true; workflow: Workflow } | { ok: false; error: string } {
  const parts = text.split(',').map((part) => part.trim());
  const steps: WorkflowStep[] = [];
  for (const [i, part] of parts.entries()) {
    const match = /^([a-z]+)(?::([0-9]+))?$/.exec(part);
    const channel = match?.[1] as Channel | undefined;
    if (!match || !channel || !CHANNELS.includes(channel))
      return {
        ok: false,
        error: `must be channel:seconds steps (sms, call, whatsapp), comma-separated: ${part || '(empty)'}`,
      };
    const last = i === parts.length - 1;
    if (!last && match[2] === undefined) return { ok: false, error: `every step but the last needs its wait: ${part}` };
    const wait = match[2] === undefined ? null : Number(match[2]);
    if (wait !== null && (wait < 1 || wait > 86_400))
      return { ok: false, error: `a wait must be 1 to 86400 seconds: ${part}` };
    steps.push({ channel, waitSeconds: last ? null : wait });
  }
  return steps.length < 2 ? { ok: false, error: 'must name at least two steps' } : { ok: true, workflow: steps };
}

/** When the step after `step` is due for a code sent at `at`; null when `step` is the last. */
export function nextStepAt(workflow: Workflow, step: number, at: Date): Date | null {
  const wait = workflow[step]?.waitSeconds;
  return wait === null || wait === undefined || step + 1 >= workflow.length
    ? null
    : new Date(at.getTime() + wait * 1000);
}
