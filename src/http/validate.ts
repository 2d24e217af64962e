// Request validation: a valibot schema over the JSON body, failing as SMS_000 with the bad fields.
import type { Context } from 'hono';
import { validator } from 'hono/validator';
import * as v from 'valibot';
import { fail } from '../domain/errors.ts';
import { summarise } from './issues.ts';
import { problem } from './problem.ts';

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/** Validates the JSON body against `schema`; non-JSON bodies and wrong shapes answer SMS_000. */
export function jsonBody<S extends v.GenericSchema>(schema: S) {
  return validator('json', (value, c: Context) => {
    const type = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim();
    if (!JSON_TYPE.test(type)) {
      return problem(
        c,
        fail('MALFORMED_REQUEST', 'The body must be JSON (Content-Type: application/json).', { fields: [] }).error,
      );
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
      const message = `must be a JSON object, not ${kind}`;
      const error = fail('MALFORMED_REQUEST', `(body): ${message}`, {
        fields: ['(body)'],
        errors: [{ field: '(body)', message }],
      });
      return problem(c, error.error);
    }
    const parsed = v.safeParse(schema, value);
    if (parsed.success) return parsed.output as v.InferOutput<S>;
    return problem(c, malformed(parsed.issues).error);
  });
}

function malformed(issues: readonly v.BaseIssue<unknown>[]) {
  const WORDS = { missing: 'is required', unknown: 'is not a known field' } as const;
  const problems = issues.map((issue) => {
    const { field, kind, message } = summarise(issue);
    return { field, message: kind === 'invalid' ? message : WORDS[kind] };
  });
  const fields = [...new Set(problems.map((p) => p.field))];
  return fail('MALFORMED_REQUEST', problems.map((p) => `${p.field}: ${p.message}`).join('; '), {
    fields,
    errors: problems,
  });
}

/** Validates the query string against `schema` (each parameter once); wrong ones answer SMS_000. */
export function queryParams<S extends v.GenericSchema>(schema: S) {
  return validator('query', (value, c: Context) => {
    const repeated = Object.entries(value).find(([, v]) => Array.isArray(v) && v.length > 1);
    if (repeated) {
      const message = 'must be given once';
      return problem(
        c,
        fail('MALFORMED_REQUEST', `${repeated[0]}: ${message}`, {
          fields: [repeated[0]],
          errors: [{ field: repeated[0], message }],
        }).error,
      );
    }
    const parsed = v.safeParse(schema, value);
    if (parsed.success) return parsed.output as v.InferOutput<S>;
    return problem(c, malformed(parsed.issues).error);
  });
}
