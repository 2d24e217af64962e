// The services file (SERVICES_FILE): each app's own rules, checked with valibot, every bad entry at once.
import { isSupportedCountry } from 'libphonenumber-js/max';
import * as v from 'valibot';
import { isSafeName, isSafeTemplate, UNSAFE_TEXT_RULE } from '../domain/message/message-text.ts';
import { isPlace, placesInclude } from '../domain/phone/calling-codes.ts';
import type { VerificationPolicy } from '../domain/policy.ts';
import { CHANNELS } from '../domain/verification/channel.ts';
import { CODE_PATTERN, CODE_RULE } from '../domain/verification/code.ts';
import { parseWorkflow, type Workflow } from '../domain/verification/workflow.ts';
import { APP_NAME_MAX, RULE_RANGES, SERVICE_SID, SERVICE_SID_RULE } from './service-rules.ts';

/** One service: its Twilio-shaped id, the name its messages and GET /v2/Services/{sid} show, its rules. */
export interface ServiceConfig {
  readonly sid: string;
  readonly friendlyName: string;
  readonly policy: VerificationPolicy;
  /** This service's own event endpoint, instead of EVENT_WEBHOOK_URL and EVENT_WEBHOOK_SECRET. */
  readonly eventWebhook?: { readonly url: string; readonly secret: string } | undefined;
}

const whole = ([min, max]: readonly [number, number]) =>
  v.optional(
    v.pipe(
      v.number('must be a number'),
      v.integer('must be a whole number'),
      v.minValue(min, `must be ${min} to ${max}`),
      v.maxValue(max, `must be ${min} to ${max}`),
    ),
  );
const country = v.pipe(
  v.string('must be a country code'),
  v.toUpperCase(),
  v.check((c) => isSupportedCountry(c), 'must be ISO 3166 alpha-2 country codes'),
);

const Entry = v.strictObject({
  sid: v.pipe(v.string('is required'), v.regex(SERVICE_SID, SERVICE_SID_RULE)),
  friendlyName: v.optional(
    v.pipe(
      v.string('must be a string'),
      v.minLength(1, 'must not be empty'),
      v.maxLength(APP_NAME_MAX, `must be at most ${APP_NAME_MAX} characters`),
      v.check(isSafeName, UNSAFE_TEXT_RULE),
    ),
  ),
  codeLength: whole(RULE_RANGES.codeLength),
  codeTtlSeconds: whole(RULE_RANGES.codeTtlSeconds),
  maxCheckAttempts: whole(RULE_RANGES.maxCheckAttempts),
  sendLimit: whole(RULE_RANGES.sendLimit),
  sendWindowSeconds: whole(RULE_RANGES.sendWindowSeconds),
  resendCooldownSeconds: whole(RULE_RANGES.resendCooldownSeconds),
  defaultCountry: v.optional(country),
  allowedCountries: v.optional(
    v.array(
      v.pipe(
        v.string('must be a country code'),
        v.toUpperCase(),
        v.check(isPlace, 'must be ISO 3166 alpha-2 country codes or calling codes such as +881'),
      ),
      'must be a list of country codes',
    ),
  ),
  template: v.optional(
    v.pipe(
      v.string('must be a string'),
      v.includes('{code}', 'must contain {code}'),
      v.maxLength(600, 'must be at most 600 characters'),
      v.check(isSafeTemplate, UNSAFE_TEXT_RULE),
    ),
  ),
  locale: v.optional(
    v.pipe(
      v.string('must be a string'),
      v.regex(/^[a-z]{2,3}([-_][A-Za-z0-9]{2,8})?$/i, 'must be a language tag such as en or pt-BR'),
    ),
  ),
  testCodes: v.optional(
    v.record(
      v.pipe(v.string(), v.regex(/^\+[1-9][0-9]{6,14}$/, 'keys must be E.164 numbers')),
      v.pipe(v.string('values must be strings'), v.regex(CODE_PATTERN, `values ${CODE_RULE}`)),
      'must map E.164 numbers to codes',
    ),
  ),
  customCodeEnabled: v.optional(v.boolean('must be true or false')),
  workflow: v.optional(
    v.pipe(
      v.string('must be a string'),
      v.rawCheck(({ dataset, addIssue }) => {
        if (!dataset.typed) return;
        const parsed = parseWorkflow(dataset.value);
        if (!parsed.ok) addIssue({ message: parsed.error });
      }),
    ),
  ),
  channels: v.optional(
    v.pipe(
      v.array(v.picklist(CHANNELS, 'must list sms, call or whatsapp')),
      v.minLength(1, 'must allow at least one channel'),
    ),
  ),
  /** This service's lifecycle events go here, signed with this secret, instead of EVENT_WEBHOOK_URL. */
  eventWebhook: v.optional(
    v.strictObject({
      url: v.pipe(v.string(), v.url('must be a URL'), v.regex(/^https?:\/\//, 'must be an http(s) URL')),
      secret: v.pipe(v.string(), v.regex(/^whsec_[A-Za-z0-9+/]{24,}={0,2}$/, 'must be whsec_ followed by base64')),
    }),
  ),
  /** A country's (or `+code`'s) own provider order for this service: `{"IN": ["http"], "BR": ["vonage", "twilio"]}`. */
  routes: v.optional(
    v.record(
      v.pipe(
        v.string(),
        v.toUpperCase(),
        v.check(isPlace, 'keys must be ISO 3166 alpha-2 country codes or calling codes such as +881'),
      ),
      v.pipe(
        v.array(v.pipe(v.string(), v.regex(/^[a-z][a-z0-9-]*$/, 'must name providers'))),
        v.minLength(1, 'must name at least one provider'),
      ),
      'must map countries to lists of providers',
    ),
  ),
});

/** The most services one file may declare, and the largest file read (SPEC section 9). */
const MAX_SERVICES = 1000;
export const MAX_SERVICES_FILE_BYTES = 1024 * 1024;

const File = v.strictObject(
  {
    services: v.pipe(
      v.array(v.unknown(), 'must be a list'),
      v.maxLength(MAX_SERVICES, `must list at most ${MAX_SERVICES} services`),
    ),
  },
  'must be an object with only a services list',
);

export type ServicesResult =
  | { readonly ok: true; readonly services: readonly ServiceConfig[] }
  | { readonly ok: false; readonly errors: readonly string[] };

/**
 * Parses the file's text into services whose unset fields take `base`, the environment's rules.
 * Every problem is reported, each naming its entry (index and sid) and field.
 */
export function parseServicesFile(text: string, base: VerificationPolicy, name = 'SERVICES_FILE'): ServicesResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [`${name} is not valid JSON: ${(error as Error).message}`] };
  }
  const file = v.safeParse(File, json);
  if (!file.success) return { ok: false, errors: [`${name} ${file.issues[0].message}`] };

  const errors: string[] = [];
  const services: ServiceConfig[] = [];
  const seen = new Set<string>();
  file.output.services.forEach((raw, index) => {
    const sid = (raw as { sid?: unknown } | null)?.sid;
    const where = `${name} services[${index}]${typeof sid === 'string' ? ` (${sid.slice(0, 34)})` : ''}`;
    if (typeof sid === 'string') {
      if (seen.has(sid)) errors.push(`${where} repeats the sid of an earlier service`);
      seen.add(sid);
    }
    const entry = v.safeParse(Entry, raw, { abortEarly: false });
    if (!entry.success) {
      for (const issue of entry.issues) {
        const field = issue.path?.map((p) => String(p.key)).join('.') ?? '';
        // A strict object reports an unknown field as expecting `never` there, and a missing one as
        // expecting its key; anything else at the entry itself is not an object.
        const message =
          issue.type !== 'strict_object'
            ? issue.message
            : issue.expected === 'never'
              ? 'is not a known field'
              : field
                ? 'is required'
                : 'must be an object';
        errors.push(`${where}${field ? ` ${field}` : ''} ${message}`);
      }
      return;
    }
    const e = entry.output;
    const allowed = e.allowedCountries ?? base.allowedCountries;
    const defaultCountry = e.defaultCountry ?? base.defaultCountry;
    if (defaultCountry && allowed && !placesInclude(allowed, defaultCountry)) {
      errors.push(`${where} defaultCountry ${defaultCountry} must be one of its allowed countries`);
    }
    services.push({
      sid: e.sid,
      friendlyName: e.friendlyName ?? base.message.appName,
      ...(e.eventWebhook ? { eventWebhook: e.eventWebhook } : {}),
      policy: {
        ...base,
        codeLength: e.codeLength ?? base.codeLength,
        codeTtlSeconds: e.codeTtlSeconds ?? base.codeTtlSeconds,
        maxCheckAttempts: e.maxCheckAttempts ?? base.maxCheckAttempts,
        sendLimit: e.sendLimit ?? base.sendLimit,
        sendWindowSeconds: e.sendWindowSeconds ?? base.sendWindowSeconds,
        resendCooldownSeconds: e.resendCooldownSeconds ?? base.resendCooldownSeconds,
        defaultCountry,
        allowedCountries: allowed,
        testCodes: e.testCodes ? new Map(Object.entries(e.testCodes)) : base.testCodes,
        customCodes: e.customCodeEnabled ?? base.customCodes,
        ...(e.routes ? { routes: new Map(Object.entries(e.routes)) } : {}),
        ...(e.channels ? { channels: e.channels } : {}),
        ...(e.workflow ? { workflow: (parseWorkflow(e.workflow) as { ok: true; workflow: Workflow }).workflow } : {}),
        message: {
          ...base.message,
          appName: e.friendlyName ?? base.message.appName,
          template: e.template ?? base.message.template,
          defaultLocale: e.locale ?? base.message.defaultLocale,
        },
      },
    });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, services };
}
