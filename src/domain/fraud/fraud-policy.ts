// The fraud guard's rules: its mode, per-country rules, the safe list and the blocking thresholds.

export const FRAUD_MODES = ['off', 'monitor', 'block'] as const;
export type FraudMode = (typeof FRAUD_MODES)[number];

/**
 * allow: the guard never blocks the country; monitor: would-be blocks are only reported; block: no
 * codes (SMS_010). A rule names a country (`GB`) or a calling code (`+881`, for the numbers of no
 * country, and for every country that shares it); a country's own rule wins over its code's.
 */
export const COUNTRY_RULES = ['allow', 'block', 'monitor'] as const;
export type CountryRule = (typeof COUNTRY_RULES)[number];

export interface FraudPolicy {
  /** FRAUD_GUARD: off tracks nothing; monitor reports would-be blocks; block refuses with SMS_015. */
  readonly mode: FraudMode;
  /** Upper-case ISO alpha-2 → rule (FRAUD_COUNTRY_RULES). */
  readonly countryRules: ReadonlyMap<string, CountryRule>;
  /** E.164 numbers, and prefixes ending in `*`, that bypass the fraud guard and the geo rules (FRAUD_SAFE_LIST). */
  readonly safeList: readonly string[];
  /** A prefix is judged only once it has this many sends in the window. */
  readonly minSends: number;
  /** A prefix converting (approved ÷ sent) at or above this is never blocked. */
  readonly minConversion: number;
  /** …nor one converting above this fraction of the rest of its country. */
  readonly countryFraction: number;
  /** The sliding window sends and approvals are counted in. */
  readonly windowSeconds: number;
  readonly blockSeconds: number;
  /**
   * The surge rule (FRAUD_COUNTRY_SURGE): a country whose sends in the window's newest bucket (an
   * hour by default) pass this many times its usual rate per bucket, while that bucket converts
   * below `minConversion`, is blocked whole. 0 turns the rule off.
   */
  readonly countrySurge: number;
}

export const DEFAULT_FRAUD_POLICY: FraudPolicy = {
  mode: 'block',
  countryRules: new Map(),
  safeList: [],
  minSends: 20,
  minConversion: 0.1,
  countryFraction: 0.15,
  windowSeconds: 86_400,
  blockSeconds: 43_200,
  countrySurge: 10,
};

/**
 * Whether `e164` is on the safe list. A whole number matches only itself; a prefix is written with
 * a trailing `*` (`+4420*`). Without the star, `+4930123456` would also cover `+49301234567` and
 * every longer German number under it, bypassing the country rules and the guard.
 */
export const isSafeListed = (fraud: Pick<FraudPolicy, 'safeList'>, e164: string): boolean =>
  fraud.safeList.some((entry) => (entry.endsWith('*') ? e164.startsWith(entry.slice(0, -1)) : e164 === entry));

/** The rule for a number: its country's, else its calling code's (`+881`), else none. */
export function countryRuleFor(
  rules: ReadonlyMap<string, CountryRule>,
  phone: { readonly country: string | undefined; readonly callingCode: string },
): CountryRule | undefined {
  return (phone.country === undefined ? undefined : rules.get(phone.country)) ?? rules.get(`+${phone.callingCode}`);
}

/** How the guard treats a number: its country's allow or monitor rule narrows the global mode. */
export function guardModeFor(
  fraud: FraudPolicy,
  phone: { readonly country: string | undefined; readonly callingCode: string },
): FraudMode {
  if (fraud.mode === 'off') return 'off';
  const rule = countryRuleFor(fraud.countryRules, phone);
  if (rule === 'allow') return 'off';
  if (rule === 'monitor') return 'monitor';
  return fraud.mode;
}

/** A safe-list entry: a whole E.164 number, or a prefix ending in `*` (`+4420*`). */
export const SAFE_LIST_ENTRY = /^(\+[1-9][0-9]{6,14}|\+[1-9][0-9]{0,13}\*)$/;
