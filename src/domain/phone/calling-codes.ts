// Country calling codes: the ones libphonenumber knows, and those of no country.
import { type CountryCode, getCountries, getCountryCallingCode, isSupportedCountry } from 'libphonenumber-js/max';

/**
 * Codes of international networks rather than countries: Inmarsat (+870), global satellite
 * systems (+881), international networks (+882, +883). Calls and messages to them cost many times
 * a national one and few people hold such a number, so they are where pumping goes when countries
 * are watched; they get no codes unless ALLOWED_NUMBER_TYPES names `non_geographic`.
 */
export const NON_GEOGRAPHIC_CODES: readonly string[] = ['870', '881', '882', '883'];

/** Codes of other numbers of no country that libphonenumber knows (freephone +800, +808, +979, ...). */
const NON_COUNTRY_CODES = ['800', '808', '870', '878', '881', '882', '883', '888', '979'];

const known = new Set<string>([...getCountries().map((c) => getCountryCallingCode(c)), ...NON_COUNTRY_CODES]);

/** Whether `digits` (no +) is a calling code in use. */
const isCallingCode = (digits: string): boolean => known.has(digits);

/** Whether a list of countries and calling codes (ALLOWED_COUNTRIES) takes `country`, by name or by its code. */
export const placesInclude = (places: readonly string[], country: string): boolean =>
  places.includes(country) ||
  (isSupportedCountry(country) && places.includes(`+${getCountryCallingCode(country as CountryCode)}`));

/** A country (ISO alpha-2) or a calling code written +881. */
export const isPlace = (place: string): boolean =>
  place.startsWith('+') ? isCallingCode(place.slice(1)) : isSupportedCountry(place);
