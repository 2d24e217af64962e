// Valibot schemas for environment variables, shared by the core settings and every adapter's slice.
import * as v from 'valibot';

/** A whole number from `min` to `max`, written in decimal. */
export const whole = (min: number, max: number) =>
  v.pipe(
    v.string(),
    v.regex(/^[0-9]+$/, 'must be a whole number'),
    v.transform(Number),
    v.minValue(min, `must be ${min} to ${max}`),
    v.maxValue(max, `must be ${min} to ${max}`),
  );

/** `whole`, with a default when unset. */
export const int = (min: number, max: number, fallback: number) => v.optional(whole(min, max), String(fallback));

/** A comma-separated list of `item`s; blanks between commas are dropped. */
export const list = (item: v.GenericSchema<string, string>) =>
  v.optional(
    v.pipe(
      v.string(),
      v.transform((s) =>
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      ),
      v.array(item),
    ),
  );

/** A secret of at least 16 characters; `what` names it in the message (never its value). */
export const secret = (what: string) =>
  v.pipe(v.string(), v.minLength(16, `each ${what} must be at least 16 characters`));

/** An absolute URL without its trailing slashes. */
export const url = v.optional(
  v.pipe(
    v.string(),
    v.url('must be an absolute URL'),
    v.transform((s) => s.replace(/\/+$/, '')),
  ),
);

/** An optional E.164 number (a sender's or caller's). */
export const e164 = v.optional(v.pipe(v.string(), v.regex(/^\+[1-9][0-9]{6,14}$/, 'must be an E.164 number')));
