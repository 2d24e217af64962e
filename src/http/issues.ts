// valibot's issues as the HTTP adapters name them: the field, and whether it is missing, unknown or wrong.
import type * as v from 'valibot';

export interface IssueSummary {
  /** The field's path, dotted; `(body)` for the body as a whole. */
  readonly field: string;
  readonly kind: 'missing' | 'unknown' | 'invalid';
  /** valibot's own message, for `invalid`. */
  readonly message: string;
}

/** valibot reports a missing key and an unknown key both as strict_object issues on that key. */
export function summarise(issue: v.BaseIssue<unknown>): IssueSummary {
  const field = issue.path?.map((item) => String(item.key)).join('.') || '(body)';
  const kind = issue.received === 'undefined' ? 'missing' : issue.type === 'strict_object' ? 'unknown' : 'invalid';
  return { field, kind, message: issue.message };
}
