// Which kinds of number get codes: premium-rate and the like are where SMS pumping earns.

/** The types libphonenumber's full metadata tells apart, in lower case; `unknown` when it cannot tell. */
export const NUMBER_TYPES = [
  'mobile',
  'fixed_line',
  'fixed_line_or_mobile',
  'voip',
  'personal_number',
  'pager',
  'voicemail',
  'toll_free',
  'premium_rate',
  'shared_cost',
  'uan',
  'non_geographic',
  'unknown',
] as const;
export type NumberType = (typeof NUMBER_TYPES)[number];

/**
 * Premium-rate and shared-cost numbers bill the sender and pay the range holder (the heart of
 * toll fraud); toll-free numbers and UANs (universal access numbers of businesses) belong to
 * no person who could type a code; satellite and international-network numbers
 * (`non_geographic`: +870, +881, +882, +883) and personal numbers (UK 070, which forward anywhere
 * at the caller's cost) are where pumping goes next. None of them get codes unless the operator
 * says so.
 */
export const DEFAULT_ALLOWED_NUMBER_TYPES: readonly NumberType[] = NUMBER_TYPES.filter(
  (t) => !['premium_rate', 'shared_cost', 'toll_free', 'uan', 'non_geographic', 'personal_number'].includes(t),
);

/** A libphonenumber type (`PREMIUM_RATE`, …) as a NumberType. */
export function toNumberType(libType: string | undefined): NumberType {
  const type = libType?.toLowerCase();
  return (NUMBER_TYPES as readonly string[]).includes(type ?? '') ? (type as NumberType) : 'unknown';
}
