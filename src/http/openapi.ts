// The OpenAPI 3.1 document, generated from the same valibot schemas that validate requests.
import { toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import { ERRORS, type ErrorName } from '../domain/errors.ts';
import { STATUS } from './problem.ts';
import {
  ApprovedResponse,
  CheckBody,
  HealthResponse,
  ProblemResponse,
  StartBody,
  StartedResponse,
  TwilioStatusForm,
  VerificationResponse,
} from './schemas.ts';

const schema = (s: v.GenericSchema) => {
  // Transformations (such as upper-casing `country`) change no input shape, so they are left out.
  const { $schema: _ignored, ...json } = toJsonSchema(s, { errorMode: 'ignore' }) as Record<string, unknown>;
  return json;
};
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ 'application/json': { schema: ref(name) } });

/** Error responses of an operation, grouped by status, each naming its codes. */
function problems(names: ErrorName[]) {
  const byStatus = new Map<number, ErrorName[]>();
  for (const name of names) byStatus.set(STATUS[name], [...(byStatus.get(STATUS[name]) ?? []), name]);
  return Object.fromEntries(
    [...byStatus].map(([status, group]) => [
      String(status),
      {
        description: group.map((n) => `${ERRORS[n].code}: ${ERRORS[n].title}`).join('; '),
        content: { 'application/problem+json': { schema: ref('Problem') } },
      },
    ]),
  );
}

const phoneParameter = {
  name: 'phone',
  in: 'path',
  required: true,
  description: 'The phone, URL-encoded (%2B14155552671)',
  schema: { type: 'string' },
};
const bearer = [{ apiKey: [] }];

/** Builds the document; `secured` says whether /v1 routes need an API key. */
export function buildOpenApiDocument(options: { secured: boolean; version?: string }) {
  const security = options.secured ? bearer : [];
  const auth = (names: ErrorName[]): ErrorName[] => (options.secured ? [...names, 'UNAUTHORIZED'] : names);
  return {
    openapi: '3.1.0',
    info: {
      title: 'sms-verify',
      version: options.version ?? '0.1.0',
      description: 'Send a one-time code to a phone by SMS, then check the code the person typed. Errors are RFC 9457 problem+json with a stable `code`.',
    },
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'One of API_KEYS' } },
      schemas: {
        StartBody: schema(StartBody),
        CheckBody: schema(CheckBody),
        Started: schema(StartedResponse),
        Approved: schema(ApprovedResponse),
        Verification: schema(VerificationResponse),
        Problem: schema(ProblemResponse),
        Health: schema(HealthResponse),
        TwilioStatus: schema(TwilioStatusForm),
      },
    },
    paths: {
      '/v1/verifications': {
        post: {
          operationId: 'startVerification',
          summary: 'Send a code',
          security,
          requestBody: { required: true, content: json('StartBody') },
          responses: {
            '201': { description: 'Sent; the previous code of this phone, if any, is replaced', content: json('Started') },
            ...problems(auth(['MALFORMED_REQUEST', 'INVALID_PHONE', 'RATE_LIMITED', 'DESTINATION_REFUSED', 'PROVIDER_FAILED', 'STORE_UNAVAILABLE', 'COUNTRY_NOT_ALLOWED', 'PAYLOAD_TOO_LARGE'])),
          },
        },
      },
      '/v1/verifications/check': {
        post: {
          operationId: 'checkVerification',
          summary: 'Check a code',
          security,
          requestBody: { required: true, content: json('CheckBody') },
          responses: {
            '200': { description: 'Approved; the code cannot be used again', content: json('Approved') },
            ...problems(auth(['MALFORMED_REQUEST', 'INVALID_PHONE', 'CODE_EXPIRED', 'WRONG_CODE', 'TOO_MANY_ATTEMPTS', 'NOT_FOUND', 'STORE_UNAVAILABLE', 'PAYLOAD_TOO_LARGE'])),
          },
        },
      },
      '/v1/verifications/{phone}': {
        get: {
          operationId: 'getVerification',
          summary: 'Read a verification',
          security,
          parameters: [phoneParameter],
          responses: {
            '200': { description: 'The verification', content: json('Verification') },
            ...problems(auth(['INVALID_PHONE', 'NOT_FOUND', 'STORE_UNAVAILABLE'])),
          },
        },
        delete: {
          operationId: 'cancelVerification',
          summary: 'Cancel a verification',
          security,
          parameters: [phoneParameter],
          responses: {
            '204': { description: 'Cancelled; the code can no longer be approved' },
            ...problems(auth(['INVALID_PHONE', 'NOT_FOUND', 'STORE_UNAVAILABLE'])),
          },
        },
      },
      '/v1/webhooks/twilio/status': {
        post: {
          operationId: 'twilioStatusCallback',
          summary: "Twilio's delivery status callback (signed with X-Twilio-Signature)",
          security: [],
          parameters: [{ name: 'X-Twilio-Signature', in: 'header', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: ref('TwilioStatus') } } },
          responses: { '204': { description: 'Recorded, or ignored when it changes nothing' }, ...problems(['BAD_SIGNATURE', 'STORE_UNAVAILABLE']) },
        },
      },
      '/healthz': { get: { operationId: 'health', summary: 'Liveness', security: [], responses: { '200': { description: 'Running', content: json('Health') } } } },
      '/readyz': {
        get: {
          operationId: 'ready',
          summary: 'Readiness: the stores answer and the service is not draining',
          security: [],
          responses: { '200': { description: 'Ready', content: json('Health') }, '503': { description: 'Not ready', content: json('Health') } },
        },
      },
      '/metrics': {
        get: { operationId: 'metrics', summary: 'Prometheus metrics', security: [], responses: { '200': { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } } } },
      },
    },
  };
}
