// Phone numbers in, E.164 out: parsing, normalisation and the country allow-list.
import { type CountryCode, ParseError, parsePhoneNumberWithError } from 'libphonenumber-js/max';
import { fail, ok, type Result } from './errors.ts';
import { type NumberType, toNumberType } from './number-types.ts';

export interface Phone {
  /** The number in E.164, e.g. +14155552671. */
  readonly e164: string;
  /** ISO 3166 alpha-2 country of the number, when the metadata knows it. */
  readonly country: string | undefined;
  /** What kind of number it is (mobile, premium_rate, …), from the numbering plan. */
  readonly type: NumberType;
}

export interface PhonePolicy {
  readonly defaultCountry?: string | undefined;
  /** Upper-case ISO alpha-2 codes; undefined allows every country. */
  readonly allowedCountries?: readonly string[] | undefined;
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
  const phone: Phone = { e164: parsed.number, country: parsed.country, type: toNumberType(parsed.getType()) };
  const allowed = policy.allowedCountries;
  if (allowed && !(phone.country && allowed.includes(phone.country))) {
    return fail('COUNTRY_NOT_ALLOWED', `Numbers in ${phone.country ?? 'this region'} are not allowed.`, {
      country: phone.country ?? null,
    });
  }
  return ok(phone);
}

/** The last four digits of a phone: all a log line may show of it. */
export const phoneTail = (e164: string): string => `…${e164.slice(-4)}`;

/** The number without its last four digits: the key of the per-prefix send limit. */
export const phonePrefix = (e164: string): string => e164.slice(0, -4);
