// Request bodies, as valibot schemas: the validation and (later) the API document come from here.
import * as v from 'valibot';
import { parseIp } from '../domain/limits/ip.ts';
import { CHANNELS } from '../domain/verification/channel.ts';
import { CODE_PATTERN, CODE_RULE } from '../domain/verification/code.ts';

const Phone = v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.description('E.164, or national with `country`'));
const Country = v.pipe(v.string(), v.regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166 alpha-2 code'), v.toUpperCase());

export const StartBody = v.strictObject({
  phone: Phone,
  country: v.optional(Country),
  locale: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/, 'must be a language tag'))),
  ip: v.optional(
    v.pipe(
      v.string(),
      v.check((ip) => parseIp(ip) !== null, 'must be an IPv4 or IPv6 address'),
    ),
  ),
  /** Only where the service has custom codes enabled (SERVICES_FILE customCodeEnabled). */
  code: v.optional(v.pipe(v.string(), v.regex(CODE_PATTERN, CODE_RULE))),
  channel: v.optional(
    v.pipe(
      v.picklist(CHANNELS, 'must be sms, call or whatsapp'),
      v.description('how the code goes out; sms by default'),
    ),
  ),
});

export const CheckBody = v.strictObject({
  phone: Phone,
  code: v.pipe(v.string(), v.regex(CODE_PATTERN, CODE_RULE)),
  country: v.optional(Country),
});

const Timestamp = v.pipe(v.string(), v.isoTimestamp());
const E164 = v.pipe(v.string(), v.regex(/^\+[1-9][0-9]{6,14}$/), v.description('E.164'));

const SendAttempts = v.pipe(
  v.array(
    v.object({
      channel: v.picklist(['sms', 'call', 'whatsapp']),
      provider: v.string(),
      time: Timestamp,
    }),
  ),
  v.description('every send of this code, oldest first: a resend while pending sends the same code'),
);

export const StartedResponse = v.object({
  phone: E164,
  status: v.literal('pending'),
  createdAt: Timestamp,
  expiresAt: Timestamp,
  resendAt: v.pipe(Timestamp, v.description('when another send to this phone would next be admitted')),
  sendsRemaining: v.pipe(v.number(), v.integer(), v.minValue(0)),
  attemptsRemaining: v.pipe(v.number(), v.integer(), v.minValue(0)),
  sendAttempts: SendAttempts,
});

export const ApprovedResponse = v.object({ phone: E164, status: v.literal('approved'), verifiedAt: Timestamp });

export const DeliveryResponse = v.nullable(
  v.object({
    status: v.picklist(['queued', 'sent', 'delivered', 'undelivered', 'failed']),
    updatedAt: Timestamp,
    errorCode: v.optional(v.string()),
    provider: v.optional(v.pipe(v.string(), v.description('The provider that took the message'))),
  }),
);

export const VerificationResponse = v.object({
  phone: E164,
  status: v.picklist(['pending', 'approved', 'expired', 'locked']),
  verified: v.boolean(),
  createdAt: Timestamp,
  expiresAt: Timestamp,
  verifiedAt: v.nullable(Timestamp),
  attemptsRemaining: v.pipe(v.number(), v.integer(), v.minValue(0)),
  delivery: DeliveryResponse,
  sendAttempts: SendAttempts,
});

export const ProblemResponse = v.looseObject({
  type: v.string(),
  title: v.string(),
  status: v.pipe(v.number(), v.integer()),
  detail: v.string(),
  code: v.pipe(v.string(), v.regex(/^SMS_[0-9]{3}$/)),
  requestId: v.optional(v.string()),
  retryAfter: v.optional(
    v.pipe(v.number(), v.description('SMS_002: seconds until a send would be admitted; SMS_015: until the block ends')),
  ),
  attemptsRemaining: v.optional(v.pipe(v.number(), v.description('SMS_004'))),
  fields: v.optional(v.pipe(v.array(v.string()), v.description('SMS_000: the bad fields'))),
  providerCode: v.optional(v.nullable(v.string())),
  country: v.optional(v.nullable(v.string())),
});

export const FraudBlockResponse = v.object({
  prefix: v.pipe(v.string(), v.description('the number without its last five digits')),
  country: v.pipe(v.string(), v.description('ISO 3166 alpha-2, or +<calling code> for numbers of no country')),
  mode: v.pipe(v.picklist(['block', 'monitor']), v.description('monitor: reported only, sends go on')),
  since: Timestamp,
  until: Timestamp,
  sends: v.pipe(v.number(), v.integer(), v.description('sends to the prefix in the window when it was blocked')),
  approvals: v.pipe(v.number(), v.integer()),
});

export const FraudBlocksResponse = v.object({ blocks: v.array(FraudBlockResponse) });

export const HealthResponse = v.object({ status: v.string() });
