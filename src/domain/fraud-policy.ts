// The fraud guard's rules: its mode, per-country rules, the safe list and the blocking thresholds.

export const FRAUD_MODES = ['off', 'monitor', 'block'] as const;
export type FraudMode = (typeof FRAUD_MODES)[number];

/** allow: the guard never blocks the country; monitor: would-be blocks are only reported; block: no codes (SMS_010). */
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
};

/**
 * Whether `e164` is on the safe list. A whole number matches only itself; a prefix is written with
 * a trailing `*` (`+4420*`). Without the star, `+4930123456` would also cover `+49301234567` and
 * every longer German number under it, bypassing the country rules and the guard.
 */
export const isSafeListed = (fraud: Pick<FraudPolicy, 'safeList'>, e164: string): boolean =>
  fraud.safeList.some((entry) => (entry.endsWith('*') ? e164.startsWith(entry.slice(0, -1)) : e164 === entry));

/** How the guard treats a number of `country`: a country's allow or monitor rule narrows the global mode. */
export function guardModeFor(fraud: FraudPolicy, country: string | undefined): FraudMode {
  if (fraud.mode === 'off') return 'off';
  const rule = country === undefined ? undefined : fraud.countryRules.get(country);
  if (rule === 'allow') return 'off';
  if (rule === 'monitor') return 'monitor';
  return fraud.mode;
}
