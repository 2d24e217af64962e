// Conversion tracking: which counters a send or approval goes to, the window's buckets, and the blocking rule.

import type { Phone } from '../phone/phone.ts';
import type { ConversionCounts, FraudBlock, WindowCounts } from './fraud-block.ts';
import type { FraudPolicy } from './fraud-policy.ts';

/**
 * A conversion prefix is the number without its last five digits (a range of 100,000 numbers),
 * keeping at least the calling code and one digit. A fixed rule rather than per-country plans:
 * revenue-share ranges are sold in blocks of this size or larger, and it is one rule to explain.
 */
const RANGE_DIGITS = 5;

export function conversionPrefix(phone: Pick<Phone, 'e164' | 'callingCode'>): string {
  const national = phone.e164.slice(1 + phone.callingCode.length);
  return `+${phone.callingCode}${national.slice(0, Math.max(1, national.length - RANGE_DIGITS))}`;
}

/** The country a number's counts go to: ISO alpha-2, or +<calling code> for numbers of no country (+800 …). */
export const conversionCountry = (phone: Pick<Phone, 'country' | 'callingCode'>): string =>
  phone.country ?? `+${phone.callingCode}`;

/** The window is counted in this many buckets: it slides by a 24th of its length. */
export const WINDOW_BUCKETS = 24;

export interface WindowSpan {
  /** The bucket `now` falls in. */
  readonly bucket: Date;
  /** The oldest bucket still in the window. */
  readonly from: Date;
  /** When the current bucket leaves the window. */
  readonly expiresAt: Date;
}

export function windowSpan(windowSeconds: number, now: Date): WindowSpan {
  const size = (windowSeconds * 1000) / WINDOW_BUCKETS;
  const start = Math.floor(now.getTime() / size) * size;
  return {
    bucket: new Date(start),
    from: new Date(start - (WINDOW_BUCKETS - 1) * size),
    expiresAt: new Date(start + WINDOW_BUCKETS * size),
  };
}

/**
 * Counter keys. A prefix's counts start afresh when its last block ended (its `until`, in ms), so
 * a lifted or expired block is not re-imposed at once by the very sends that caused it.
 */
export const prefixCounterKey = (prefix: string, epoch: number): string => `prefix:${prefix}:${epoch}`;
export const countryCounterKey = (country: string): string => `country:${country}`;

const rate = (c: ConversionCounts) => c.approvals / c.sends;

/**
 * The blocking rule, on the counts before the send being judged. A prefix is blocked when it has
 * at least `minSends` sends, converts below `minConversion`, and converts at most
 * `countryFraction` of what the rest of its country does: so a country where many people never
 * finish is not blocked wholesale. With too few other sends in the country to compare with (a
 * country the service has no users in, the usual pumping target), the absolute floor decides.
 */
export function shouldBlock(prefix: ConversionCounts, country: ConversionCounts, fraud: FraudPolicy): boolean {
  if (prefix.sends < fraud.minSends) return false;
  if (rate(prefix) >= fraud.minConversion) return false;
  const rest = { sends: country.sends - prefix.sends, approvals: country.approvals - prefix.approvals };
  if (rest.sends < fraud.minSends) return true;
  return rate(prefix) <= fraud.countryFraction * Math.max(0, rate(rest));
}

/**
 * The surge rule, on a country's counts before the send being judged: spread pumping sends to
 * random numbers all over a country, so no prefix ever has enough sends to be judged, but the
 * country's own rate jumps. Its usual rate is the window's older buckets averaged; a floor of
 * `minSends` a bucket keeps a country with little or no history (the usual target) from being
 * blocked by its first few sends. The country is blocked when the newest bucket has more than
 * `countrySurge` times the usual sends and converts below `minConversion`: legitimate surges (a
 * launch, a campaign) bring people who type their codes in.
 */
export function shouldBlockCountry(country: WindowCounts, fraud: FraudPolicy): boolean {
  if (fraud.countrySurge <= 0) return false;
  const { current } = country;
  const usual = Math.max(fraud.minSends, (country.sends - current.sends) / (WINDOW_BUCKETS - 1));
  if (current.sends <= fraud.countrySurge * usual) return false;
  return rate(current) < fraud.minConversion;
}

/**
 * A country's counts as the surge rule sees them: when the country's last block began in the
 * current bucket, the sends and approvals it counted then are left out, so a lifted block is not
 * re-imposed at once by the very sends that caused it (a prefix's counters restart the same way).
 */
export function sinceCountryBlock(counts: WindowCounts, block: FraudBlock | null, bucket: Date): WindowCounts {
  if (!block || block.since < bucket) return counts;
  return {
    sends: counts.sends - block.sends,
    approvals: counts.approvals - block.approvals,
    current: { sends: counts.current.sends - block.sends, approvals: counts.current.approvals - block.approvals },
  };
}
