// Request bodies, as valibot schemas: the validation and (later) the API document come from here.
import * as v from 'valibot';

const Phone = v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.description('E.164, or national with `country`'));
const Country = v.pipe(v.string(), v.regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166 alpha-2 code'), v.toUpperCase());

export const StartBody = v.strictObject({
  phone: Phone,
  country: v.optional(Country),
  locale: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/, 'must be a language tag'))),
  ip: v.optional(v.pipe(v.string(), v.ip('must be an IPv4 or IPv6 address'))),
});

export const CheckBody = v.strictObject({
  phone: Phone,
  code: v.pipe(v.string(), v.regex(/^[0-9]{4,10}$/, 'must be 4 to 10 digits')),
  country: v.optional(Country),
});
