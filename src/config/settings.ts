// The service's settings: the environment parsed and checked with valibot, every problem at once.

import { isSupportedCountry } from 'libphonenumber-js/max';
import * as v from 'valibot';
import { int, list, secret, url, whole } from '../adapters/settings/schemas.ts';
import { COUNTRY_RULES, FRAUD_MODES, SAFE_LIST_ENTRY } from '../domain/fraud/fraud-policy.ts';
import { isSafeName, isSafeTemplate, UNSAFE_TEXT_RULE } from '../domain/message/message-text.ts';
import { isPlace, placesInclude } from '../domain/phone/calling-codes.ts';
import { NUMBER_TYPES } from '../domain/phone/number-types.ts';
import { CODE_PATTERN, CODE_RULE } from '../domain/verification/code.ts';
import { parseWorkflow } from '../domain/verification/workflow.ts';
import type { Env, SettingsOf } from '../ports/adapter-descriptor.ts';
import { type PROVIDERS, REGISTRY, type Registry, type STORES } from './registry.ts';
import { APP_NAME_MAX, RULE_RANGES, SERVICE_SID, SERVICE_SID_RULE } from './service-rules.ts';

const country = v.pipe(
  v.string(),
  v.toUpperCase(),
  v.check((c) => isSupportedCountry(c), 'must be ISO 3166 alpha-2 country codes'),
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
  v.regex(SAFE_LIST_ENTRY, 'must list E.164 numbers, or prefixes ending in * (+4420*), comma-separated'),
);
const testCode = v.pipe(
  v.string(),
  v.regex(
    new RegExp(`^\\+[1-9][0-9]{6,14}=${CODE_PATTERN.source.slice(1)}`),
    `must be +E164=digits pairs (codes ${CODE_RULE}), comma-separated`,
  ),
);

/** The settings of the service itself; each adapter brings its own (see `registry.ts`). */
const CORE = {
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
  ATTEMPTS_RETENTION_DAYS: int(1, 400, 30),
  EVENT_WEBHOOK_URL: url,
  EVENT_WEBHOOK_SECRET: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^whsec_[A-Za-z0-9+/]{24,}={0,2}$/, 'must be whsec_ followed by base64 of 18 bytes or more'),
    ),
  ),
  EVENT_WEBHOOK_TIMEOUT_MS: int(500, 30_000, 5000),
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
  ANDROID_APP_HASH: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9+/]{11}$/, 'must be the 11-character app hash'))),
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
  FALLBACK_WORKFLOW: v.optional(
    v.pipe(
      v.string(),
      v.rawCheck(({ dataset, addIssue }) => {
        if (!dataset.typed) return;
        const parsed = parseWorkflow(dataset.value);
        if (!parsed.ok) addIssue({ message: parsed.error });
      }),
    ),
  ),
  FALLBACK_POLL_SECONDS: int(1, 60, 1),
  PROVIDER_BREAKER_FAILURES: int(1, 1000, 5),
  PROVIDER_BREAKER_SECONDS: int(1, 3600, 30),
  SHUTDOWN_TIMEOUT_SECONDS: int(1, 600, 10),
  REQUEST_TIMEOUT_SECONDS: int(1, 300, 30),
  HEADERS_TIMEOUT_SECONDS: int(1, 300, 10),
  KEEP_ALIVE_TIMEOUT_SECONDS: int(1, 300, 5),
};

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
/** The settings of the built-in adapters, every slice merged. */
type AdapterSettings = UnionToIntersection<
  SettingsOf<(typeof PROVIDERS)[number]['settings']> | SettingsOf<(typeof STORES)[number]['settings']>
>;

export type Settings = v.InferOutput<v.ObjectSchema<typeof CORE, undefined>> &
  AdapterSettings & {
    /** The providers SMS_PROVIDER names, in failover order; else the first registered one whose settings are given. */
    readonly SMS_PROVIDER: readonly string[];
    /** SMS_ROUTES: a country's (or `+code`'s) own failover order. */
    readonly SMS_ROUTES: ReadonlyMap<string, readonly string[]>;
  };

/** Every environment variable the service reads with these adapters. */
export const settingNames = (registry: Registry = REGISTRY): string[] => [
  ...Object.keys(CORE),
  'SMS_PROVIDER',
  'SMS_ROUTES',
  ...[...registry.providers, ...registry.stores].flatMap((d) => Object.keys(d.settings)),
];

/** Every environment variable the service reads. */
export const SETTING_NAMES = settingNames();

const chosen = <D extends { configuredBy: (input: Env) => boolean }>(list: readonly D[], input: Env) =>
  list.find((d) => d.configuredBy(input))!;

export type SettingsResult = { ok: true; settings: Settings; warnings: string[] } | { ok: false; errors: string[] };

/**
 * Parses the environment. Empty variables count as unset. Every bad variable is reported, each
 * once, so an operator fixes them all in one go; secrets are never echoed back.
 */
export function parseSettings(env: Env, registry: Registry = REGISTRY): SettingsResult {
  const { providers, stores } = registry;
  const names = providers.map((p) => p.name);
  const adapters = [...providers, ...stores];
  const entries = {
    ...CORE,
    SMS_PROVIDER: list(v.picklist(names, `must list providers among ${names.join(', ')}, comma-separated`)),
    SMS_ROUTES: list(
      v.pipe(
        v.string(),
        v.regex(
          new RegExp(`^([A-Za-z]{2}|\\+[0-9]{1,3})=(${names.join('|')})(\\|(${names.join('|')}))*$`),
          `must be CC=provider pairs, a country's failover order written provider|provider (IN=http,BR=vonage|twilio), with providers among ${names.join(', ')}`,
        ),
        v.check(
          (pair) => isPlace(pair.slice(0, pair.indexOf('=')).toUpperCase()),
          'must name ISO 3166 alpha-2 countries or calling codes',
        ),
      ),
    ),
    ...Object.assign({}, ...adapters.map((d) => d.settings)),
  } as v.ObjectEntries;
  const known = Object.keys(entries);
  const input = Object.fromEntries(known.map((k) => [k, env[k]?.trim() ? env[k]!.trim() : undefined]));
  const parsed = v.safeParse(v.object(entries), input, { abortEarly: false });
  const errors = new Map<string, string>();
  for (const issue of parsed.issues ?? []) {
    const name = String(issue.path?.[0]?.key ?? '(settings)');
    if (!errors.has(name)) errors.set(name, `${name} ${issue.message}`);
  }
  for (const adapter of adapters)
    for (const [name, message] of adapter.check?.(input) ?? []) if (!errors.has(name)) errors.set(name, message);
  const named = (input['SMS_PROVIDER'] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const routes = new Map(
    (input['SMS_ROUTES'] ?? '')
      .split(',')
      .map((pair) => pair.trim())
      .filter(Boolean)
      .map((pair) => {
        const [where, order] = pair.split('=') as [string, string];
        return [where.toUpperCase(), order.split('|')] as const;
      }),
  );
  const order = named.length > 0 ? named : [chosen(providers, input).name];
  const inUse = [...new Set([...order, ...[...routes.values()].flat()])]
    .map((name) => providers.find((p) => p.name === name))
    .filter((p) => p !== undefined);
  const store = chosen(stores, input);
  for (const provider of inUse) {
    if (!provider.configuredBy(input) && !errors.has('SMS_PROVIDER'))
      errors.set('SMS_PROVIDER', `SMS_PROVIDER=${provider.name} needs ${provider.requires}`);
  }
  const provider = inUse.find((p) => p.development) ?? inUse[0]!;
  // A list that is only commas and spaces ("," or " , ") names no key: it is treated as unset, so
  // that in production it is refused rather than leaving the API open or the secret random.
  const listed = (name: string) => (input[name] ?? '').split(',').some((item) => item.trim() !== '');
  // Events are signed: an endpoint without a secret (or a secret without an endpoint) is a mistake.
  for (const [name, other] of [
    ['EVENT_WEBHOOK_URL', 'EVENT_WEBHOOK_SECRET'],
    ['EVENT_WEBHOOK_SECRET', 'EVENT_WEBHOOK_URL'],
  ] as const) {
    if (input[name] && !input[other] && !errors.has(other)) errors.set(other, `${other} is required with ${name}`);
  }
  if (input['NODE_ENV'] === 'production') {
    for (const name of ['API_KEYS', 'CODE_SECRET']) {
      if (!listed(name) && !errors.has(name)) errors.set(name, `${name} is required when NODE_ENV=production`);
    }
    if (input['ADMIN_API_KEYS'] && !listed('ADMIN_API_KEYS') && !errors.has('ADMIN_API_KEYS'))
      errors.set('ADMIN_API_KEYS', 'ADMIN_API_KEYS names no key: list one or more, or leave it unset');
    // In-memory stores lose every code and limit on restart, and the console sender prints whole
    // numbers and codes to standard output: production gets them only when it asks for them.
    if (input['ALLOW_DEVELOPMENT_ADAPTERS'] !== 'true') {
      const real = stores.filter((d) => !d.development);
      if (store.development && real.length > 0 && !errors.has(real[0]!.requires)) {
        errors.set(
          real[0]!.requires,
          `${real.map((d) => d.requires).join(' or ')} is required when NODE_ENV=production (or set ALLOW_DEVELOPMENT_ADAPTERS=true for ${store.development})`,
        );
      }
      if (provider.development && !errors.has('SMS_PROVIDER')) {
        const settable = providers.filter((d) => !d.development).map((d) => `the ${d.name} settings (${d.requires})`);
        errors.set(
          'SMS_PROVIDER',
          `an SMS provider is required when NODE_ENV=production: set ${settable.join(' or ')} (or ALLOW_DEVELOPMENT_ADAPTERS=true for ${provider.development})`,
        );
      }
    }
  }
  // Codes are hashed with CODE_SECRET; a random per-process secret makes every stored code
  // "wrong" after a restart, using up attempts, so persistent stores need a fixed one.
  if (!store.development && !listed('CODE_SECRET') && input['NODE_ENV'] !== 'test' && !errors.has('CODE_SECRET')) {
    errors.set(
      'CODE_SECRET',
      `CODE_SECRET is required with ${store.requires}: with a random per-process secret, pending codes stop matching after a restart`,
    );
  }
  // Node refuses a header timeout longer than the whole request's.
  if (
    parsed.success &&
    (parsed.output as Settings).HEADERS_TIMEOUT_SECONDS > (parsed.output as Settings).REQUEST_TIMEOUT_SECONDS
  ) {
    errors.set('HEADERS_TIMEOUT_SECONDS', 'HEADERS_TIMEOUT_SECONDS must not exceed REQUEST_TIMEOUT_SECONDS');
  }
  // An admin key that is also an API key would let every API client lift fraud blocks.
  const keysIn = (name: string) => (input[name] ?? '').split(',').map((k) => k.trim());
  if (input['ADMIN_API_KEYS'] && keysIn('ADMIN_API_KEYS').some((key) => key && keysIn('API_KEYS').includes(key))) {
    errors.set('ADMIN_API_KEYS', 'ADMIN_API_KEYS must not repeat any of API_KEYS');
  }
  if (!parsed.success || errors.size > 0) return { ok: false, errors: [...errors.values()] };
  const settings = { ...(parsed.output as object), SMS_PROVIDER: order, SMS_ROUTES: routes } as unknown as Settings;
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
