// The form-encoded bodies of the Verify v2 routes, with Twilio's parameter names.
import { validator } from 'hono/validator';
import * as v from 'valibot';
import { fail } from '../../domain/errors.ts';
import type { Logger } from '../../ports/logger.ts';
import { summarise } from '../issues.ts';
import { verifyV2Error } from './v2-errors.ts';

const text = v.string();
const optional = v.optional(text);

/**
 * Twilio's send parameters. Those that change nothing here (pricing, templates held by Twilio,
 * per-request rate limits) are accepted and ignored, so migrating code sends them unchanged; those
 * that would change the code or the message are refused in the route with a clear message.
 */
export const StartForm = v.strictObject({
  To: text,
  Channel: text,
  Locale: optional,
  CustomFriendlyName: optional,
  CustomCode: optional,
  CustomMessage: optional,
  SendDigits: optional,
  AppHash: optional,
  DeviceIp: optional,
  Amount: optional,
  Payee: optional,
  RateLimits: optional,
  ChannelConfiguration: optional,
  TemplateSid: optional,
  TemplateCustomSubstitutions: optional,
  Templates: optional,
  EnableSnaClientToken: optional,
  RiskCheck: optional,
  Tags: optional,
});

export const CheckForm = v.strictObject({
  Code: text,
  To: optional,
  VerificationSid: optional,
  Amount: optional,
  Payee: optional,
});

export const UpdateForm = v.strictObject({ Status: text });

/** Validates a form body against `schema`; a wrong shape answers 60200 naming each parameter. */
export function formBody<S extends v.GenericSchema>(schema: S, logger: Logger) {
  return validator('form', (value, c) => {
    const parsed = v.safeParse(schema, value);
    if (parsed.success) return parsed.output as v.InferOutput<S>;
    const WORDS = {
      missing: 'is required',
      unknown: 'is not a parameter of this resource',
      invalid: 'must be given once, as text',
    } as const;
    const problems = parsed.issues.map((issue) => {
      const { field, kind } = summarise(issue);
      return `${field} ${WORDS[kind]}`;
    });
    return verifyV2Error(c, fail('MALFORMED_REQUEST', `Invalid parameter: ${problems.join('; ')}.`).error, logger);
  });
}
