// The Verify v2 routes in the OpenAPI document: form bodies in, Twilio's JSON out.
import * as v from 'valibot';
import { USE_CASE_ERRORS } from '../../application/verifier.ts';
import { ERRORS, type ErrorName } from '../../domain/errors.ts';
import { json, pathParameter, ref, SERVICE_ID_HELP } from '../openapi-refs.ts';
import { CheckForm, StartForm, UpdateForm } from './forms.ts';
import { TWILIO_CODES } from './v2-errors.ts';

const date = v.pipe(v.string(), v.isoTimestamp());
const status = v.picklist(['pending', 'approved', 'canceled', 'max_attempts_reached', 'expired', 'failed']);
const common = {
  sid: v.pipe(v.string(), v.regex(/^VE[0-9a-f]{32}$/)),
  service_sid: v.pipe(v.string(), v.regex(/^VA[0-9a-f]{32}$/)),
  account_sid: v.pipe(v.string(), v.regex(/^AC[0-9a-f]{32}$/)),
  to: v.string(),
  channel: v.literal('sms'),
  status,
  valid: v.boolean(),
  amount: v.null(),
  payee: v.null(),
  date_created: date,
  date_updated: date,
};

export const TwilioVerification = v.object({
  ...common,
  lookup: v.object({ carrier: v.null() }),
  send_code_attempts: v.array(v.object({ time: date, channel: v.literal('sms'), attempt_sid: v.string() })),
  sna: v.null(),
  url: v.string(),
});

export const TwilioVerificationCheck = v.object({ ...common, sna_attempts_error_codes: v.array(v.unknown()) });

export const TwilioService = v.looseObject({
  sid: common.service_sid,
  account_sid: common.account_sid,
  friendly_name: v.string(),
  code_length: v.number(),
  custom_code_enabled: v.boolean(),
  date_created: date,
  date_updated: date,
  url: v.string(),
});

export const TwilioError = v.object({
  code: v.picklist([...new Set(Object.values(TWILIO_CODES).map((c) => c.code))]),
  message: v.string(),
  more_info: v.string(),
  status: v.number(),
});

/** The forms and answers, for the document's components. */
export const VERIFY_SCHEMAS = {
  TwilioStartForm: StartForm,
  TwilioCheckForm: CheckForm,
  TwilioUpdateForm: UpdateForm,
  TwilioVerification,
  TwilioVerificationCheck,
  TwilioService,
  TwilioError,
};

const form = (name: string) => ({
  required: true,
  content: { 'application/x-www-form-urlencoded': { schema: ref(name) } },
});
const ok = (description: string, name: string) => ({ description, content: json(name) });

/**
 * An operation's error responses, derived like /v1's from the use case's own error list and the
 * one Twilio code table, so the document cannot drift from what the routes answer.
 */
function errors(names: readonly ErrorName[]) {
  const all = [...new Set<ErrorName>([...names, 'UNAUTHORIZED', 'NOT_FOUND', 'INTERNAL'])];
  const byStatus = new Map<number, ErrorName[]>();
  for (const name of all) {
    const { status } = TWILIO_CODES[name];
    byStatus.set(status, [...(byStatus.get(status) ?? []), name]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, group]) => [
      String(status),
      {
        description: group.map((n) => `${TWILIO_CODES[n].code} (${ERRORS[n].code}): ${ERRORS[n].title}`).join('; '),
        content: json('TwilioError'),
      },
    ]),
  );
}
/** What a form body adds: a bad or oversized one. */
const FORM_ERRORS = ['MALFORMED_REQUEST', 'PAYLOAD_TOO_LARGE'] as const;

const serviceSid = pathParameter('ServiceSid', SERVICE_ID_HELP);
const sid = pathParameter('Sid', 'The verification’s VE… id, or its To number');
/** The v2 paths; `basic` is the security scheme's name. */
export function verifyPaths(basic: string) {
  const security = [{ [basic]: [] }];
  return {
    '/v2/Services/{ServiceSid}': {
      get: {
        operationId: 'twilioFetchService',
        summary: 'Twilio Verify v2: the service',
        security,
        parameters: [serviceSid],
        responses: { '200': ok('The service', 'TwilioService'), ...errors([]) },
      },
    },
    '/v2/Services/{ServiceSid}/Verifications': {
      post: {
        operationId: 'twilioCreateVerification',
        summary: 'Twilio Verify v2: send a code',
        security,
        parameters: [serviceSid],
        requestBody: form('TwilioStartForm'),
        responses: {
          '201': ok('Sent', 'TwilioVerification'),
          ...errors([...FORM_ERRORS, ...USE_CASE_ERRORS.start]),
        },
      },
    },
    '/v2/Services/{ServiceSid}/VerificationCheck': {
      post: {
        operationId: 'twilioCheckVerification',
        summary: 'Twilio Verify v2: check a code (a wrong code is 200 with status pending)',
        security,
        parameters: [serviceSid],
        requestBody: form('TwilioCheckForm'),
        responses: {
          '200': ok('Approved, or pending for a wrong code', 'TwilioVerificationCheck'),
          // A wrong code is answered 200 pending; the code is read against the verification first.
          ...errors([
            ...FORM_ERRORS,
            ...USE_CASE_ERRORS.get,
            ...USE_CASE_ERRORS.check.filter((n) => n !== 'WRONG_CODE'),
          ]),
        },
      },
    },
    '/v2/Services/{ServiceSid}/Verifications/{Sid}': {
      get: {
        operationId: 'twilioFetchVerification',
        summary: 'Twilio Verify v2: a verification',
        security,
        parameters: [serviceSid, sid],
        responses: { '200': ok('The verification', 'TwilioVerification'), ...errors(USE_CASE_ERRORS.get) },
      },
      post: {
        operationId: 'twilioUpdateVerification',
        summary: 'Twilio Verify v2: cancel (Status=canceled)',
        security,
        parameters: [serviceSid, sid],
        requestBody: form('TwilioUpdateForm'),
        responses: {
          '200': ok('Cancelled', 'TwilioVerification'),
          ...errors([...FORM_ERRORS, ...USE_CASE_ERRORS.get, ...USE_CASE_ERRORS.cancel]),
        },
      },
    },
  };
}

/** The group of the /v2 routes in the API document. */
export const VERIFY_V2_TAG = {
  name: 'Twilio Verify v2',
  description: "Twilio Verify's API, for code written against it.",
};

const attemptSchema = {
  type: 'object',
  properties: {
    sid: { type: 'string', pattern: '^VL[0-9a-f]{32}$' },
    account_sid: { type: 'string' },
    service_sid: { type: 'string' },
    verification_sid: { type: 'string' },
    date_created: { type: 'string', format: 'date-time' },
    date_updated: { type: 'string', format: 'date-time' },
    conversion_status: { type: 'string', enum: ['converted', 'unconverted'] },
    channel: { type: 'string', enum: ['sms', 'call', 'whatsapp'] },
    price: { type: 'null' },
    channel_data: { type: 'object', description: 'to: the number masked to its last four digits; status; provider' },
    url: { type: 'string' },
  },
};
const query = (name: string, description: string, schema: object = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
const attemptFilters = [
  query('DateCreatedAfter', 'ISO 8601: made at or after'),
  query('DateCreatedBefore', 'ISO 8601: made before'),
  query('Country', 'ISO 3166 alpha-2 of the number'),
  query('Channel', 'sms, call or whatsapp'),
  query('VerifyServiceSid', 'One service’s attempts'),
];
const jsonSchema = (description: string, schema: object) => ({
  description,
  content: { 'application/json': { schema } },
});

/** The operator's account resources on /v2 (admin keys): attempts and their summary, the safe list. */
export function verifyAdminPaths(basic: string, served: { attempts?: boolean; safeList?: boolean }) {
  const security = [{ [basic]: [] }];
  const safeListEntry = {
    type: 'object',
    properties: { sid: { type: 'string' }, phone_number: { type: 'string' }, url: { type: 'string' } },
  };
  const number = pathParameter('PhoneNumber', 'The number, URL-encoded (%2B14155552671)');
  const safeList = {
    '/v2/SafeList/Numbers': {
      post: {
        operationId: 'twilioCreateSafeListNumber',
        summary: 'Twilio Verify v2: add a number to the safe list (admin key)',
        security,
        requestBody: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': {
              schema: { type: 'object', required: ['PhoneNumber'], properties: { PhoneNumber: { type: 'string' } } },
            },
          },
        },
        responses: { '201': jsonSchema('Added (or already there)', safeListEntry), ...errors(['MALFORMED_REQUEST']) },
      },
    },
    '/v2/SafeList/Numbers/{PhoneNumber}': {
      get: {
        operationId: 'twilioFetchSafeListNumber',
        summary: 'Twilio Verify v2: a safe-list number (admin key)',
        security,
        parameters: [number],
        responses: { '200': jsonSchema('The entry', safeListEntry), ...errors([]) },
      },
      delete: {
        operationId: 'twilioDeleteSafeListNumber',
        summary: 'Twilio Verify v2: remove a number from the safe list (admin key)',
        security,
        parameters: [number],
        responses: { '204': { description: 'Removed' }, ...errors([]) },
      },
    },
  };
  if (!served.attempts) return served.safeList ? safeList : {};
  return {
    ...(served.safeList ? safeList : {}),
    '/v2/Attempts': {
      get: {
        operationId: 'twilioListAttempts',
        summary: 'Twilio Verify v2: send attempts, newest first (admin key)',
        security,
        parameters: [
          ...attemptFilters,
          query('VerificationSid', 'One verification’s attempts'),
          query('Status', 'CONVERTED or UNCONVERTED'),
          query('PageSize', '1 to 1000, default 50'),
          query('Page', 'The page number, for meta'),
          query('PageToken', 'From meta.next_page_url'),
        ],
        responses: {
          '200': jsonSchema('A page of attempts', {
            type: 'object',
            properties: { attempts: { type: 'array', items: attemptSchema }, meta: { type: 'object' } },
          }),
          ...errors(['MALFORMED_REQUEST']),
        },
      },
    },
    '/v2/Attempts/{Sid}': {
      get: {
        operationId: 'twilioFetchAttempt',
        summary: 'Twilio Verify v2: one send attempt (admin key)',
        security,
        parameters: [pathParameter('Sid', 'The attempt’s VL… id')],
        responses: { '200': jsonSchema('The attempt', attemptSchema), ...errors([]) },
      },
    },
    '/v2/Attempts/Summary': {
      get: {
        operationId: 'twilioAttemptsSummary',
        summary: 'Twilio Verify v2: totals and conversion over the attempts selected (admin key)',
        security,
        parameters: [...attemptFilters, query('DestinationPrefix', 'E.164 prefix of the numbers')],
        responses: {
          '200': jsonSchema('Totals', {
            type: 'object',
            properties: {
              account_sid: { type: 'string' },
              total_attempts: { type: 'integer' },
              total_converted: { type: 'integer' },
              total_unconverted: { type: 'integer' },
              conversion_rate_percentage: { type: 'string' },
              url: { type: 'string' },
            },
          }),
          ...errors(['MALFORMED_REQUEST']),
        },
      },
    },
  };
}
