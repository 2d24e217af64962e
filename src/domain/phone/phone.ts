// Phone numbers in, E.164 out: parsing, normalisation and the country allow-list.
import { type CountryCode, ParseError, parsePhoneNumberWithError } from 'libphonenumber-js/max';
import { fail, ok, type Result } from '../errors.ts';
import { type CountryRule, countryRuleFor, isSafeListed } from '../fraud/fraud-policy.ts';
import { NON_GEOGRAPHIC_CODES } from './calling-codes.ts';
import { type NumberType, toNumberType } from './number-types.ts';

export interface Phone {
  /** The number in E.164, e.g. +14155552671. */
  readonly e164: string;
  /** ISO 3166 alpha-2 country of the number, when the metadata knows it. */
  readonly country: string | undefined;
  /** What kind of number it is (mobile, premium_rate, …), from the numbering plan. */
  readonly type: NumberType;
  /** The country calling code, without +. */
  readonly callingCode: string;
}

export interface PhonePolicy {
  readonly defaultCountry?: string | undefined;
  /** Upper-case ISO alpha-2 codes and calling codes (`+881`); undefined allows every country. */
  readonly allowedCountries?: readonly string[] | undefined;
  /** Per-country rules (a `block` rule refuses like a country left out) and the safe list, which bypasses both. */
  readonly fraud?: { readonly countryRules: ReadonlyMap<string, CountryRule>; readonly safeList: readonly string[] };
}

const MAX_INPUT = 64;

/**
 * Parses a phone as typed by a person (E.164, or national when a country is known) and checks it
 * against the allow-list. `country` from the request wins over the policy's default.
 */
export function parsePhone(
  input: string,
  country: string | undefined,
  policy: PhonePolicy,
): Result<Phone, 'INVALID_PHONE' | 'COUNTRY_NOT_ALLOWED'> {
  if (input.length > MAX_INPUT) return fail('INVALID_PHONE', 'The phone number is too long.');
  const region = (country ?? policy.defaultCountry)?.toUpperCase() as CountryCode | undefined;
  let parsed: ReturnType<typeof parsePhoneNumberWithError>;
  try {
    parsed = parsePhoneNumberWithError(input, region ? { defaultCountry: region } : undefined);
  } catch (error) {
    const reason = error instanceof ParseError ? error.message : 'NOT_A_NUMBER';
    return fail('INVALID_PHONE', `Not a valid phone number (${reason.toLowerCase()}).`);
  }
  if (!parsed.isValid()) return fail('INVALID_PHONE', 'Not a valid phone number for its country.');
  const phone: Phone = {
    e164: parsed.number,
    country: parsed.country,
    // The numbering plan calls satellite numbers mobile; they are billed as anything but.
    type: NON_GEOGRAPHIC_CODES.includes(parsed.countryCallingCode) ? 'non_geographic' : toNumberType(parsed.getType()),
    callingCode: parsed.countryCallingCode,
  };
  if (!countryAllowed(phone, policy)) {
    return fail('COUNTRY_NOT_ALLOWED', `Numbers in ${phone.country ?? 'this region'} are not allowed.`, {
      country: phone.country ?? null,
    });
  }
  return ok(phone);
}

/**
 * ALLOWED_COUNTRIES and FRAUD_COUNTRY_RULES' `block`, unless the number is on the safe list. Both
 * name countries or calling codes: `+44` allows every number under +44 (GB, GG, IM, JE).
 */
function countryAllowed(phone: Phone, policy: PhonePolicy): boolean {
  if (policy.fraud && isSafeListed(policy.fraud, phone.e164)) return true;
  const allowed = policy.allowedCountries;
  const listed =
    allowed && ((phone.country && allowed.includes(phone.country)) || allowed.includes(`+${phone.callingCode}`));
  if (allowed && !listed) return false;
  return !(policy.fraud && countryRuleFor(policy.fraud.countryRules, phone) === 'block');
}

/** The last four digits of a phone: all a log line may show of it. */
export const phoneTail = (e164: string): string => `…${e164.slice(-4)}`;

/** The number without its last four digits: the key of the per-prefix send limit. */
export const phonePrefix = (e164: string): string => e164.slice(0, -4);
