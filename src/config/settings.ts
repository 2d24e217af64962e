// The service's settings: the environment parsed and checked with valibot, every problem at once.

import { isSupportedCountry } from 'libphonenumber-js/max';
import * as v from 'valibot';
import { isPlace, placesInclude } from '../domain/calling-codes.ts';
import { COUNTRY_RULES, FRAUD_MODES } from '../domain/fraud-policy.ts';
import { isSafeName, isSafeTemplate, UNSAFE_TEXT_RULE } from '../domain/message-text.ts';
import { NUMBER_TYPES } from '../domain/number-types.ts';
import { APP_NAME_MAX, RULE_RANGES, SERVICE_SID, SERVICE_SID_RULE } from './service-rules.ts';

type Env = Record<string, string | undefined>;

const whole = (min: number, max: number) =>
  v.pipe(
    v.string(),
    v.regex(/^[0-9]+$/, 'must be a whole number'),
    v.transform(Number),
    v.minValue(min, `must be ${min} to ${max}`),
    v.maxValue(max, `must be ${min} to ${max}`),
  );
const int = (min: number, max: number, fallback: number) => v.optional(whole(min, max), String(fallback));
const list = (item: v.GenericSchema<string, string>) =>
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
const country = v.pipe(
  v.string(),
  v.toUpperCase(),
  v.check((c) => isSupportedCountry(c), 'must be ISO 3166 alpha-2 country codes'),
);
const secret = (what: string) => v.pipe(v.string(), v.minLength(16, `each ${what} must be at least 16 characters`));
const url = v.optional(
  v.pipe(
    v.string(),
    v.url('must be an absolute URL'),
    v.transform((s) => s.replace(/\/+$/, '')),
  ),
);
const ratio = (fallback: string) =>
  v.optional(
    v.pipe(
      v.string(),
      v.regex(/^(0(\.[0-9]+)?|1(\.0+)?|\.[0-9]+)$/, 'must be a number from 0 to 1'),
      v.transform(Number),
    ),
    fallback,
  );
/** A country (ISO alpha-2) or a calling code written +881: ALLOWED_COUNTRIES and FRAUD_COUNTRY_RULES take both. */
const place = v.pipe(
  v.string(),
  v.toUpperCase(),
  v.check(isPlace, 'must be ISO 3166 alpha-2 country codes or calling codes such as +881'),
);
const countryRule = v.pipe(
  v.string(),
  v.regex(
    new RegExp(`^([A-Za-z]{2}|\\+[0-9]{1,3})=(${COUNTRY_RULES.join('|')})$`, 'i'),
    `must be CC=rule or +code=rule pairs with rule ${COUNTRY_RULES.join(', ')}, comma-separated`,
  ),
  v.toUpperCase(),
  v.check((pair) => isPlace(pair.slice(0, pair.indexOf('='))), 'must name ISO 3166 alpha-2 countries or calling codes'),
);
const safeEntry = v.pipe(
  v.string(),
  v.regex(
    /^(\+[1-9][0-9]{6,14}|\+[1-9][0-9]{0,13}\*)$/,
    'must list E.164 numbers, or prefixes ending in * (+4420*), comma-separated',
  ),
);
const testCode = v.pipe(
  v.string(),
  v.regex(/^\+[1-9][0-9]{6,14}=[0-9]{4,10}$/, 'must be +E164=digits pairs (4 to 10 digits), comma-separated'),
);

/** The SMS providers the Node entry can wire; unset: twilio when its settings are given, else console. */
export const SMS_PROVIDERS = ['console', 'twilio'] as const;

const Schema = v.object({
  NODE_ENV: v.optional(
    v.picklist(['development', 'production', 'test'], 'must be development, production or test'),
    'development',
  ),
  ALLOW_DEVELOPMENT_ADAPTERS: v.optional(
    v.pipe(
      v.picklist(['true', 'false'], 'must be true or false'),
      v.transform((s) => s === 'true'),
    ),
    'false',
  ),
  PORT: int(0, 65_535, 3000),
  HOST: v.optional(v.string(), '0.0.0.0'),
  LOG_LEVEL: v.optional(
    v.picklist(
      ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'],
      'must be trace, debug, info, warn, error, fatal or silent',
    ),
    'info',
  ),
  API_KEYS: list(secret('API key')),
  ADMIN_API_KEYS: list(secret('admin API key')),
  CODE_SECRET: list(secret('secret')),
  DEFAULT_COUNTRY: v.optional(country),
  ALLOWED_COUNTRIES: list(place),
  ALLOWED_NUMBER_TYPES: list(v.picklist(NUMBER_TYPES, `must list only ${NUMBER_TYPES.join(', ')}`)),
  CODE_LENGTH: int(...RULE_RANGES.codeLength, 6),
  CODE_TTL_SECONDS: int(...RULE_RANGES.codeTtlSeconds, 600),
  MAX_CHECK_ATTEMPTS: int(...RULE_RANGES.maxCheckAttempts, 5),
  VERIFIED_TTL_SECONDS: int(1, 31_536_000, 86_400),
  RETENTION_SECONDS: int(0, 31_536_000, 86_400),
  SEND_LIMIT: int(...RULE_RANGES.sendLimit, 5),
  SEND_WINDOW_SECONDS: int(...RULE_RANGES.sendWindowSeconds, 3600),
  RESEND_COOLDOWN_SECONDS: int(...RULE_RANGES.resendCooldownSeconds, 30),
  IP_SEND_LIMIT: int(1, 10_000, 20),
  IP_SEND_WINDOW_SECONDS: int(1, 604_800, 3600),
  IP_V6_PREFIX_LENGTH: int(32, 128, 64),
  PREFIX_SEND_LIMIT: int(1, 10_000, 20),
  PREFIX_SEND_WINDOW_SECONDS: int(1, 604_800, 3600),
  DAILY_SEND_BUDGET: v.optional(whole(1, 100_000_000)),
  VERIFY_SERVICE_SID: v.optional(
    v.pipe(v.string(), v.regex(SERVICE_SID, SERVICE_SID_RULE)),
    'VA00000000000000000000000000000000',
  ),
  SERVICES_FILE: v.optional(v.string()),
  APP_NAME: v.optional(
    v.pipe(
      v.string(),
      v.maxLength(APP_NAME_MAX, `must be at most ${APP_NAME_MAX} characters`),
      v.check(isSafeName, UNSAFE_TEXT_RULE),
    ),
    'sms-verify',
  ),
  SMS_TEMPLATE: v.optional(
    v.pipe(
      v.string(),
      v.includes('{code}', 'must contain {code}'),
      v.maxLength(600, 'must be at most 600 characters'),
      v.check(isSafeTemplate, UNSAFE_TEXT_RULE),
    ),
  ),
  WEBOTP_DOMAIN: v.optional(
    v.pipe(
      v.string(),
      v.regex(
        /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i,
        'must be a host name such as example.com',
      ),
    ),
  ),
  TEST_CODES: list(testCode),
  PUBLIC_BASE_URL: url,
  SMS_PROVIDER: v.optional(v.picklist(SMS_PROVIDERS, `must be one of ${SMS_PROVIDERS.join(', ')}`)),
  TWILIO_ACCOUNT_SID: v.optional(
    v.pipe(v.string(), v.regex(/^AC[0-9a-fA-F]{32}$/, 'must be AC followed by 32 hex digits')),
  ),
  TWILIO_AUTH_TOKEN: v.optional(secret('Twilio auth token')),
  TWILIO_FROM: v.optional(
    v.pipe(
      v.string(),
      v.regex(
        /^(\+[1-9][0-9]{6,14}|(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11})$/,
        'must be an E.164 number or an alphanumeric sender id of up to 11 characters',
      ),
    ),
  ),
  TWILIO_MESSAGING_SERVICE_SID: v.optional(
    v.pipe(v.string(), v.regex(/^MG[0-9a-fA-F]{32}$/, 'must be MG followed by 32 hex digits')),
  ),
  TWILIO_API_BASE_URL: url,
  TWILIO_TIMEOUT_MS: int(500, 60_000, 10_000),
  TWILIO_MAX_RETRIES: int(0, 5, 2),
  ANDROID_APP_HASH: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9+/]{11}$/, 'must be the 11-character app hash'))),
  MONGODB_URI: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^mongodb(\+srv)?:\/\/\S+$/, 'must be a mongodb:// or mongodb+srv:// connection string'),
    ),
  ),
  MONGODB_DB: v.optional(v.pipe(v.string(), v.regex(/^[^/\\. "$]{1,63}$/, 'must be a MongoDB database name'))),
  MONGODB_TIMEOUT_MS: int(100, 60_000, 3000),
  MONGODB_RECONNECT_SECONDS: int(5, 3600, 30),
  FRAUD_GUARD: v.optional(v.picklist(FRAUD_MODES, `must be one of ${FRAUD_MODES.join(', ')}`), 'block'),
  FRAUD_COUNTRY_RULES: list(countryRule),
  FRAUD_SAFE_LIST: list(safeEntry),
  FRAUD_MIN_SENDS: int(1, 100_000, 20),
  FRAUD_MIN_CONVERSION: ratio('0.1'),
  FRAUD_COUNTRY_FRACTION: ratio('0.15'),
  FRAUD_WINDOW_SECONDS: int(3600, 2_592_000, 86_400),
  FRAUD_BLOCK_SECONDS: int(60, 2_592_000, 43_200),
  FRAUD_COUNTRY_SURGE: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[0-9]+$/, 'must be a whole number'),
      v.transform(Number),
      v.check((n) => n === 0 || (n >= 2 && n <= 1000), 'must be 0 (off) or 2 to 1000'),
    ),
    '10',
  ),
  MEMORY_MAX_VERIFICATIONS: int(1000, 10_000_000, 100_000),
  SHUTDOWN_TIMEOUT_SECONDS: int(1, 600, 10),
  REQUEST_TIMEOUT_SECONDS: int(1, 300, 30),
  HEADERS_TIMEOUT_SECONDS: int(1, 300, 10),
  KEEP_ALIVE_TIMEOUT_SECONDS: int(1, 300, 5),
});

export type Settings = Omit<v.InferOutput<typeof Schema>, 'SMS_PROVIDER'> & {
  SMS_PROVIDER: (typeof SMS_PROVIDERS)[number];
};

/** Every environment variable the service reads. */
export const SETTING_NAMES = Object.keys(Schema.entries);

/** SMS_PROVIDER as given, else twilio when its account is set, else console: today's deployments unchanged. */
const providerOf = (input: Env) => input['SMS_PROVIDER'] ?? (input['TWILIO_ACCOUNT_SID'] ? 'twilio' : 'console');

export type SettingsResult = { ok: true; settings: Settings; warnings: string[] } | { ok: false; errors: string[] };

/**
 * Parses the environment. Empty variables count as unset. Every bad variable is reported, each
 * once, so an operator fixes them all in one go; secrets are never echoed back.
 */
export function parseSettings(env: Env): SettingsResult {
  const known = Object.keys(Schema.entries);
  const input = Object.fromEntries(known.map((k) => [k, env[k]?.trim() ? env[k]!.trim() : undefined]));
  const parsed = v.safeParse(Schema, input, { abortEarly: false });
  const errors = new Map<string, string>();
  for (const issue of parsed.issues ?? []) {
    const name = String(issue.path?.[0]?.key ?? '(settings)');
    if (!errors.has(name)) errors.set(name, `${name} ${issue.message}`);
  }
  // A list that is only commas and spaces ("," or " , ") names no key: it is treated as unset, so
  // that in production it is refused rather than leaving the API open or the secret random.
  const listed = (name: string) => (input[name] ?? '').split(',').some((item) => item.trim() !== '');
  if (input['NODE_ENV'] === 'production') {
    for (const name of ['API_KEYS', 'CODE_SECRET']) {
      if (!listed(name) && !errors.has(name)) errors.set(name, `${name} is required when NODE_ENV=production`);
    }
    if (input['ADMIN_API_KEYS'] && !listed('ADMIN_API_KEYS') && !errors.has('ADMIN_API_KEYS'))
      errors.set('ADMIN_API_KEYS', 'ADMIN_API_KEYS names no key: list one or more, or leave it unset');
    // In-memory stores lose every code and limit on restart, and the console sender prints whole
    // numbers and codes to standard output: production gets them only when it asks for them.
    if (input['ALLOW_DEVELOPMENT_ADAPTERS'] !== 'true') {
      if (!input['MONGODB_URI']) {
        errors.set(
          'MONGODB_URI',
          'MONGODB_URI is required when NODE_ENV=production (or set ALLOW_DEVELOPMENT_ADAPTERS=true for in-memory stores)',
        );
      }
      if (providerOf(input) === 'console' && !errors.has('SMS_PROVIDER')) {
        errors.set(
          'SMS_PROVIDER',
          'an SMS provider is required when NODE_ENV=production: set the Twilio settings (or ALLOW_DEVELOPMENT_ADAPTERS=true for the console sender, which prints codes)',
        );
      }
    }
  }
  // Codes are hashed with CODE_SECRET; a random per-process secret makes every stored code
  // "wrong" after a restart, using up attempts, so persistent stores need a fixed one.
  if (input['MONGODB_URI'] && !listed('CODE_SECRET') && input['NODE_ENV'] !== 'test' && !errors.has('CODE_SECRET')) {
    errors.set(
      'CODE_SECRET',
      'CODE_SECRET is required with MONGODB_URI: with a random per-process secret, pending codes stop matching after a restart',
    );
  }
  // Node refuses a header timeout longer than the whole request's.
  if (parsed.success && parsed.output.HEADERS_TIMEOUT_SECONDS > parsed.output.REQUEST_TIMEOUT_SECONDS) {
    errors.set('HEADERS_TIMEOUT_SECONDS', 'HEADERS_TIMEOUT_SECONDS must not exceed REQUEST_TIMEOUT_SECONDS');
  }
  // An admin key that is also an API key would let every API client lift fraud blocks.
  const keysIn = (name: string) => (input[name] ?? '').split(',').map((k) => k.trim());
  if (input['ADMIN_API_KEYS'] && keysIn('ADMIN_API_KEYS').some((key) => key && keysIn('API_KEYS').includes(key))) {
    errors.set('ADMIN_API_KEYS', 'ADMIN_API_KEYS must not repeat any of API_KEYS');
  }
  const sid = input['TWILIO_ACCOUNT_SID'];
  const token = input['TWILIO_AUTH_TOKEN'];
  if (Boolean(sid) !== Boolean(token)) {
    const missing = sid ? 'TWILIO_AUTH_TOKEN' : 'TWILIO_ACCOUNT_SID';
    errors.set(missing, `${missing} is required with ${sid ? 'TWILIO_ACCOUNT_SID' : 'TWILIO_AUTH_TOKEN'}`);
  }
  if (input['SMS_PROVIDER'] === 'twilio' && !sid && !token) {
    errors.set(
      'SMS_PROVIDER',
      'SMS_PROVIDER=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM (or TWILIO_MESSAGING_SERVICE_SID)',
    );
  }
  if (sid && !input['TWILIO_FROM'] && !input['TWILIO_MESSAGING_SERVICE_SID']) {
    errors.set('TWILIO_FROM', 'TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID is required with the Twilio settings');
  }
  if (!parsed.success || errors.size > 0) return { ok: false, errors: [...errors.values()] };
  const settings: Settings = {
    ...parsed.output,
    SMS_PROVIDER: providerOf(input) as Settings['SMS_PROVIDER'],
  };
  if (
    settings.DEFAULT_COUNTRY &&
    settings.ALLOWED_COUNTRIES &&
    !placesInclude(settings.ALLOWED_COUNTRIES, settings.DEFAULT_COUNTRY)
  ) {
    return { ok: false, errors: ['DEFAULT_COUNTRY must be one of ALLOWED_COUNTRIES'] };
  }

  const warnings: string[] = [];
  if (!settings.CODE_SECRET?.length)
    warnings.push(
      'CODE_SECRET is not set: a random secret is used, so codes do not survive a restart or work across instances.',
    );
  if (settings.TEST_CODES?.length)
    warnings.push(
      `TEST_CODES is set: ${settings.TEST_CODES.length} number(s) get a fixed code with no SMS and no send limits.`,
    );
  if (!settings.API_KEYS?.length)
    warnings.push('API_KEYS is not set: the API accepts requests from anyone who can reach it.');
  return { ok: true, settings, warnings };
}
