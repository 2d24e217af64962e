// The OpenAPI 3.1 document, generated from the same valibot schemas that validate requests.

import { toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import { USE_CASE_ERRORS } from '../application/verifier.ts';
import { ERRORS, type ErrorName } from '../domain/errors.ts';
import type { DeliveryWebhook } from '../ports/delivery-webhook.ts';
import { IDEMPOTENCY_ERRORS } from './idempotency.ts';
import { json, pathParameter, ref, SERVICE_ID_HELP } from './openapi-refs.ts';
import { STATUS } from './problem.ts';
import { SafeListBody } from './safe-list-routes.ts';
import {
  ApprovedResponse,
  CheckBody,
  FraudBlocksResponse,
  HealthResponse,
  ProblemResponse,
  StartBody,
  StartedResponse,
  VerificationResponse,
} from './schemas.ts';
import { VERIFY_SCHEMAS, VERIFY_V2_TAG, verifyAdminPaths, verifyPaths } from './verify-v2/verify-openapi.ts';

const schema = (s: v.GenericSchema) => {
  // Transformations (such as upper-casing `country`) change no input shape, so they are left out.
  const { $schema: _ignored, ...json } = toJsonSchema(s, { errorMode: 'ignore' }) as Record<string, unknown>;
  return json;
};

/** Error responses of an operation, grouped by status, each naming its codes. */
function problems(names: readonly ErrorName[]) {
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

/** Every path answers 405 SMS_014, with `Allow`, for the methods it does not serve. */
const notAllowed = {
  '405': {
    description: `${ERRORS.NO_ROUTE.code}: method not allowed here; \`Allow\` lists the methods`,
    content: { 'application/problem+json': { schema: ref('Problem') } },
  },
};

const phoneParameter = pathParameter('phone', 'The phone, URL-encoded (%2B14155552671)');
const serviceParameter = pathParameter('serviceSid', SERVICE_ID_HELP, '^VA[0-9a-f]{32}$');
const bearer = [{ apiKey: [] }];

/** The operator API: its own key scheme, which API keys never satisfy. */
function fraudPaths(secured: boolean) {
  const security = secured ? [{ adminKey: [] }] : [];
  const errors = (names: readonly ErrorName[]): ErrorName[] => [
    ...names,
    ...(secured ? ['UNAUTHORIZED' as const] : []),
    'INTERNAL',
  ];
  return {
    '/v1/fraud/blocks': {
      get: {
        operationId: 'listFraudBlocks',
        summary: 'Prefixes the fraud guard blocks (or, in monitor mode, would block), newest first',
        security,
        responses: {
          ...notAllowed,
          '200': { description: 'The blocks in force', content: json('FraudBlocks') },
          ...problems(errors(USE_CASE_ERRORS.listBlocks)),
        },
      },
    },
    '/v1/fraud/blocks/{prefix}': {
      delete: {
        operationId: 'liftFraudBlock',
        summary: "Lift a block early; the prefix's counts start afresh",
        security,
        parameters: [
          {
            name: 'prefix',
            in: 'path',
            required: true,
            description: 'The blocked prefix, URL-encoded (%2B141555)',
            schema: { type: 'string' },
          },
        ],
        responses: {
          ...notAllowed,
          '204': { description: 'Lifted' },
          ...problems(errors(USE_CASE_ERRORS.liftBlock)),
        },
      },
    },
  };
}

/** What the operator console reads besides the rest of the operator API. */
function operatorPaths(secured: boolean) {
  const security = secured ? [{ adminKey: [] }] : [];
  return {
    '/v1/operator/status': {
      get: {
        operationId: 'operatorStatus',
        summary: "The providers' circuits and the services with their settings",
        security,
        responses: {
          ...notAllowed,
          '200': {
            description: 'Status',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { providers: { type: 'object' }, services: { type: 'array', items: { type: 'object' } } },
                },
              },
            },
          },
          ...problems([...(secured ? ['UNAUTHORIZED' as const] : []), 'INTERNAL']),
        },
      },
    },
  };
}

/** The operator's view of event webhooks given up, and redelivery. */
function eventPaths(secured: boolean) {
  const security = secured ? [{ adminKey: [] }] : [];
  const auth = (names: ErrorName[]): ErrorName[] => [
    ...names,
    ...(secured ? ['UNAUTHORIZED' as const] : []),
    'INTERNAL',
  ];
  return {
    '/v1/events/failed': {
      get: {
        operationId: 'listFailedEvents',
        summary: 'Events given up after 24 h of retries (kept a week), newest first',
        security,
        responses: {
          ...notAllowed,
          '200': {
            description: 'The events',
            content: {
              'application/json': {
                schema: { type: 'object', properties: { events: { type: 'array', items: { type: 'object' } } } },
              },
            },
          },
          ...problems(auth([])),
        },
      },
    },
    '/v1/events/{id}/redeliver': {
      post: {
        operationId: 'redeliverEvent',
        summary: 'Send a given-up event again (same webhook-id), from now, with its retries counted afresh',
        security,
        parameters: [pathParameter('id', 'The event id (msg_…)')],
        responses: { ...notAllowed, '202': { description: 'Queued' }, ...problems(auth(['NOT_FOUND'])) },
      },
    },
  };
}

/** The operator's safe list, beside FRAUD_SAFE_LIST. */
function safeListPaths(secured: boolean) {
  const security = secured ? [{ adminKey: [] }] : [];
  const auth = (names: ErrorName[]): ErrorName[] => [
    ...names,
    ...(secured ? ['UNAUTHORIZED' as const] : []),
    'INTERNAL',
  ];
  const entry = {
    type: 'object',
    properties: {
      sid: { type: 'string', pattern: '^GN[0-9a-f]{32}$' },
      phoneNumber: { type: 'string' },
      createdAt: { type: 'string', format: 'date-time' },
    },
  };
  const one = (description: string) => ({ description, content: { 'application/json': { schema: entry } } });
  const number = pathParameter('phoneNumber', 'The number or prefix, URL-encoded (%2B14155552671, %2B4420*)');
  return {
    '/v1/safe-list': {
      get: {
        operationId: 'listSafeList',
        summary: 'The stored safe list, oldest first (FRAUD_SAFE_LIST is not included)',
        security,
        responses: {
          ...notAllowed,
          '200': {
            description: 'The entries',
            content: {
              'application/json': {
                schema: { type: 'object', properties: { entries: { type: 'array', items: entry } } },
              },
            },
          },
          ...problems(auth([])),
        },
      },
      post: {
        operationId: 'addToSafeList',
        summary: 'Add a number (matches only itself) or a prefix ending in * to the safe list',
        security,
        requestBody: { required: true, content: { 'application/json': { schema: ref('SafeListBody') } } },
        responses: {
          ...notAllowed,
          '201': one('Added, or already there (the first entry)'),
          ...problems(auth(['MALFORMED_REQUEST', 'PAYLOAD_TOO_LARGE'])),
        },
      },
    },
    '/v1/safe-list/{phoneNumber}': {
      get: {
        operationId: 'getSafeListEntry',
        summary: 'One safe-list entry',
        security,
        parameters: [number],
        responses: { ...notAllowed, '200': one('The entry'), ...problems(auth(['NOT_FOUND'])) },
      },
      delete: {
        operationId: 'removeFromSafeList',
        summary: 'Remove an entry from the stored safe list',
        security,
        parameters: [number],
        responses: { ...notAllowed, '204': { description: 'Removed' }, ...problems(auth(['NOT_FOUND'])) },
      },
    },
  };
}

/** The operator's view of send attempts: a page, and totals grouped on request. */
function attemptPaths(secured: boolean) {
  const security = secured ? [{ adminKey: [] }] : [];
  const errors = problems(['MALFORMED_REQUEST', ...(secured ? ['UNAUTHORIZED' as const] : []), 'INTERNAL']);
  const q = (name: string, description: string) => ({
    name,
    in: 'query',
    required: false,
    description,
    schema: { type: 'string' },
  });
  const filters = [
    q('service', 'A service id (VA…)'),
    q('country', 'ISO 3166 alpha-2'),
    q('channel', 'sms, call or whatsapp'),
    q('provider', 'A provider name'),
    q('prefix', 'A conversion prefix (+141555)'),
    q('from', 'ISO 8601: made at or after'),
    q('to', 'ISO 8601: made before'),
  ];
  const totals = {
    totalAttempts: { type: 'integer' },
    converted: { type: 'integer' },
    unconverted: { type: 'integer' },
    conversionRate: { type: 'number', minimum: 0, maximum: 1 },
  };
  return {
    '/v1/attempts': {
      get: {
        operationId: 'listAttempts',
        summary: 'Send attempts, newest first, a page at a time (numbers masked to their last four digits)',
        security,
        parameters: [...filters, q('limit', '1 to 1000, default 50'), q('cursor', "The previous page's next")],
        responses: {
          ...notAllowed,
          '200': {
            description: 'A page',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    attempts: { type: 'array', items: { type: 'object' } },
                    next: { type: ['string', 'null'] },
                  },
                },
              },
            },
          },
          ...errors,
        },
      },
    },
    '/v1/attempts/summary': {
      get: {
        operationId: 'attemptsSummary',
        summary: 'Totals and conversion over the attempts selected, grouped by country, channel, provider or prefix',
        security,
        parameters: [...filters, q('groupBy', 'country, channel, provider or prefix')],
        responses: {
          ...notAllowed,
          '200': {
            description: 'Totals',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { ...totals, groups: { type: 'array', items: { type: 'object' } } },
                },
              },
            },
          },
          ...errors,
        },
      },
    },
  };
}

/** The callback route of each plugged-in provider, and the one that refuses unconfigured providers. */
function webhookPaths(webhooks: readonly DeliveryWebhook[]) {
  const paths: Record<string, unknown> = {};
  for (const w of webhooks) {
    paths[`/v1/webhooks/${w.provider}/status`] = {
      post: {
        operationId: `${w.provider}StatusCallback`,
        summary: `${w.provider}'s delivery status callback (authenticated by the provider's signature)`,
        security: [],
        parameters: (w.headers ?? []).map((name) => ({
          name,
          in: 'header',
          required: true,
          schema: { type: 'string' },
        })),
        ...(w.requestBody
          ? {
              requestBody: {
                required: true,
                content: { [w.requestBody.contentType]: { schema: w.requestBody.schema } },
              },
            }
          : {}),
        responses: {
          ...notAllowed,
          '204': { description: 'Recorded, or ignored when it changes nothing' },
          ...problems(['BAD_SIGNATURE', ...USE_CASE_ERRORS.recordDelivery]),
        },
      },
    };
  }
  return paths;
}

/**
 * The verification routes under `base`: /v1/verifications for the default service, and again under
 * /v1/services/{serviceSid} for any service; `scope` keeps their operation ids apart.
 */
function verificationPaths(
  base: string,
  scope: string,
  parameters: readonly object[],
  security: readonly object[],
  auth: (names: readonly ErrorName[]) => ErrorName[],
) {
  // What the HTTP layer adds to a use case's own errors: a bad or oversized body.
  const body: ErrorName[] = ['MALFORMED_REQUEST', 'PAYLOAD_TOO_LARGE'];
  return {
    [base]: {
      post: {
        operationId: `start${scope}Verification`,
        summary: 'Send a code',
        security,
        parameters: [
          ...parameters,
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            description:
              'A retry with the same key and body within 24 h replays the first answer (Idempotent-Replayed: true, with its Location) and sends no second SMS. Only answers that ended the work are replayed: a 429, an SMS_015 or a 5xx is not kept, so a retry after the wait is judged afresh.',
            schema: { type: 'string', minLength: 1, maxLength: 257 },
          },
        ],
        requestBody: { required: true, content: json('StartBody') },
        responses: {
          ...notAllowed,
          '201': {
            description: 'Sent; the previous code of this phone, if any, is replaced',
            headers: {
              Location: {
                description: 'The verification just started (its GET and DELETE)',
                schema: { type: 'string' },
              },
            },
            content: json('Started'),
          },
          ...problems(auth([...body, ...USE_CASE_ERRORS.start, ...IDEMPOTENCY_ERRORS])),
        },
      },
    },
    [`${base}/check`]: {
      post: {
        operationId: `check${scope}Verification`,
        summary: 'Check a code',
        security,
        parameters,
        requestBody: { required: true, content: json('CheckBody') },
        responses: {
          ...notAllowed,
          '200': { description: 'Approved; the code cannot be used again', content: json('Approved') },
          ...problems(auth([...body, ...USE_CASE_ERRORS.check])),
        },
      },
    },
    [`${base}/{phone}`]: {
      get: {
        operationId: `get${scope}Verification`,
        summary: 'Read a verification',
        security,
        parameters: [...parameters, phoneParameter],
        responses: {
          ...notAllowed,
          '200': { description: 'The verification', content: json('Verification') },
          ...problems(auth(USE_CASE_ERRORS.get)),
        },
      },
      delete: {
        operationId: `cancel${scope}Verification`,
        summary: 'Cancel a verification',
        security,
        parameters: [...parameters, phoneParameter],
        responses: {
          ...notAllowed,
          '204': { description: 'Cancelled; the code can no longer be approved' },
          ...problems(auth(USE_CASE_ERRORS.cancel)),
        },
      },
    },
  };
}

/** Builds the document; `secured` says whether /v1 routes need an API key. */
export function buildOpenApiDocument(options: {
  secured: boolean;
  /** Whether the operator API needs a key (ADMIN_API_KEYS; with only API_KEYS it refuses every request). */
  adminSecured?: boolean;
  version?: string;
  webhooks?: readonly DeliveryWebhook[];
  /** Whether the Twilio Verify v2 routes are served. */
  verifyV2?: boolean;
  /** Whether send attempts are kept (the /v1/attempts and /v2/Attempts routes). */
  attempts?: boolean;
  /** Whether the stored safe list is served (/v1/safe-list, /v2/SafeList/Numbers). */
  safeList?: boolean;
  /** Whether event webhooks are configured (/v1/events/failed and redelivery). */
  events?: boolean;
}) {
  const security = options.secured ? bearer : [];
  // What the HTTP layer adds to a use case's own errors: a missing key, a bug.
  const auth = (names: readonly ErrorName[]): ErrorName[] => [
    ...names,
    ...(options.secured ? ['UNAUTHORIZED' as const] : []),
    'INTERNAL',
  ];
  const document = {
    openapi: '3.1.0',
    info: {
      title: 'sms-verify',
      version: options.version ?? '0.2.0',
      license: { name: 'MIT', identifier: 'MIT' },
      description:
        'Send a one-time code to a phone by SMS, then check the code the person typed. Errors are RFC 9457 problem+json with a stable `code`.',
    },
    // Relative: the document describes the service that serves it, wherever that is.
    servers: [{ url: '/', description: 'This service' }],
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'One of API_KEYS' },
        adminKey: { type: 'http', scheme: 'bearer', description: 'One of ADMIN_API_KEYS (the operator API)' },
        ...(options.verifyV2
          ? {
              verifyBasic: {
                type: 'http',
                scheme: 'basic',
                description: 'The Verify v2 routes: any account SID as user name, one of API_KEYS as password',
              },
            }
          : {}),
      },
      schemas: {
        StartBody: schema(StartBody),
        CheckBody: schema(CheckBody),
        Started: schema(StartedResponse),
        Approved: schema(ApprovedResponse),
        Verification: schema(VerificationResponse),
        Problem: schema(ProblemResponse),
        Health: schema(HealthResponse),
        FraudBlocks: schema(FraudBlocksResponse),
        ...(options.safeList ? { SafeListBody: schema(SafeListBody) } : {}),
        ...(options.verifyV2
          ? Object.fromEntries(Object.entries(VERIFY_SCHEMAS).map(([name, s]) => [name, schema(s)]))
          : {}),
      },
    },
    paths: {
      ...verificationPaths('/v1/verifications', '', [], security, auth),
      ...verificationPaths(
        '/v1/services/{serviceSid}/verifications',
        'Service',
        [serviceParameter],
        security,
        // An id not in SERVICES_FILE answers 404 SMS_014.
        (names) => auth([...names, 'NO_ROUTE']),
      ),
      ...webhookPaths(options.webhooks ?? []),
      ...fraudPaths(options.adminSecured ?? options.secured),
      ...(options.attempts ? attemptPaths(options.adminSecured ?? options.secured) : {}),
      ...(options.verifyV2 ? verifyPaths('verifyBasic') : {}),
      ...(options.safeList ? safeListPaths(options.adminSecured ?? options.secured) : {}),
      ...operatorPaths(options.adminSecured ?? options.secured),
      ...(options.events ? eventPaths(options.adminSecured ?? options.secured) : {}),
      ...(options.verifyV2 ? verifyAdminPaths('verifyBasic', options) : {}),
      '/healthz': {
        get: {
          operationId: 'health',
          summary: 'Liveness',
          security: [],
          responses: { '200': { description: 'Running', content: json('Health') }, ...notAllowed },
        },
      },
      '/readyz': {
        get: {
          operationId: 'ready',
          summary: 'Readiness: the stores answer and the service is not draining',
          security: [],
          responses: {
            '200': { description: 'Ready', content: json('Health') },
            '503': { description: 'Not ready', content: json('Health') },
            ...notAllowed,
          },
        },
      },
      '/metrics': {
        get: {
          operationId: 'metrics',
          summary: 'Prometheus metrics',
          security: [],
          responses: {
            '200': { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } },
            ...notAllowed,
          },
        },
      },
    },
  };
  return withTags(document);
}

/** Groups for the docs page and clients, each operation in one, by its path. */
const TAGS = [
  {
    name: 'Verifications',
    match: /^\/v1\/verifications/,
    description: 'Send a code, check it, read or cancel a verification.',
  },
  { name: 'Services', match: /^\/v1\/services\//, description: 'The same routes for a service of SERVICES_FILE.' },
  { ...VERIFY_V2_TAG, match: /^\/v2\// },
  {
    name: 'Webhooks',
    match: /^\/v1\/webhooks\//,
    description:
      "Providers' delivery callbacks, each signed as its provider signs; another provider's answer 403 SMS_013.",
  },
  {
    name: 'Operator',
    match: /^\/v1\/(fraud|attempts|safe-list|events|operator)(\/|$)/,
    description: 'The operator API (ADMIN_API_KEYS).',
  },
  { name: 'Health', match: /^\/(healthz|readyz|metrics)$/, description: 'Liveness, readiness and metrics.' },
];

function withTags<D extends { paths: Record<string, unknown> }>(document: D): D & { tags: { name: string }[] } {
  const used = new Set<string>();
  const paths = Object.fromEntries(
    Object.entries(document.paths).map(([path, item]) => {
      const tag = TAGS.find((t) => t.match.test(path))?.name;
      if (!tag) throw new Error(`no tag for ${path}`);
      used.add(tag);
      const operations = Object.entries(item as Record<string, object>).map(([method, op]) => [
        method,
        { tags: [tag], ...op },
      ]);
      return [path, Object.fromEntries(operations)];
    }),
  );
  const tags = TAGS.filter((t) => used.has(t.name)).map(({ name, description }) => ({ name, description }));
  return { ...document, tags, paths };
}
