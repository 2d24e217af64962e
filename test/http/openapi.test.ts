// The OpenAPI document: valid 3.1, covering every route, and true to the responses the app gives.
import { Validator } from '@seriousme/openapi-schema-validator';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ApprovedResponse, ProblemResponse, StartedResponse, VerificationResponse } from '../../src/http/schemas.ts';
import { createHarness, PHONE } from '../support/harness.ts';
import { call, phonePath } from '../support/http.ts';

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const h = await createHarness();
    const doc = (await call(h.app, 'GET', '/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('describes every route the app serves, with its method', async () => {
    const h = await createHarness({
      app: {
        docs: { script: '', style: '' },
        metrics: { event() {}, request() {}, render: async () => ({ contentType: 'text/plain', body: '' }) },
      },
    });
    const doc = (await call(h.app, 'GET', '/openapi.json')).body;
    const served = h.app.routes
      .filter(
        (r) =>
          r.method !== 'ALL' &&
          !r.path.startsWith('/docs') &&
          !r.path.startsWith('/console') &&
          r.path !== '/openapi.json' &&
          r.path !== '/*',
      )
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    const described = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(new Set(served)).toEqual(new Set(described));
  });

  it('names every error code an operation can answer, and API-key security when keys are set', async () => {
    const h = await createHarness({ app: { apiKeys: ['key-0123456789abcdef'] } });
    const doc = (await call(h.app, 'GET', '/openapi.json')).body;
    const send = doc.paths['/v1/verifications'].post;
    const described = JSON.stringify(send.responses);
    for (const code of [
      'SMS_000',
      'SMS_001',
      'SMS_002',
      'SMS_007',
      'SMS_008',
      'SMS_009',
      'SMS_010',
      'SMS_011',
      'SMS_012',
      'SMS_014',
      'SMS_099',
    ])
      expect(described).toContain(code);
    expect(send.security).toEqual([{ apiKey: [] }]);
    expect(doc.components.schemas.StartBody).toMatchObject({ required: ['phone'], additionalProperties: false });
  });

  it('names SMS_010 wherever a phone is read (check, read, cancel), as the use cases can answer it', async () => {
    const h = await createHarness({ policy: { allowedCountries: ['GB'] } });
    const doc = (await call(h.app, 'GET', '/openapi.json')).body;
    expect((await call(h.app, 'POST', '/v1/verifications/check', { phone: PHONE, code: '123456' })).body.code).toBe(
      'SMS_010',
    );
    expect((await call(h.app, 'GET', phonePath(PHONE))).body.code).toBe('SMS_010');
    for (const op of [
      doc.paths['/v1/verifications/check'].post,
      doc.paths['/v1/verifications/{phone}'].get,
      doc.paths['/v1/verifications/{phone}'].delete,
    ]) {
      expect(JSON.stringify(op.responses)).toContain('SMS_010');
    }
  });

  it('matches what the app answers: the response schemas of the document parse real responses', async () => {
    const h = await createHarness();
    v.parse(StartedResponse, (await call(h.app, 'POST', '/v1/verifications', { phone: PHONE })).body);
    v.parse(VerificationResponse, (await call(h.app, 'GET', phonePath(PHONE))).body);
    v.parse(
      ProblemResponse,
      (await call(h.app, 'POST', '/v1/verifications/check', { phone: PHONE, code: '000000' })).body,
    );
    v.parse(
      ApprovedResponse,
      (await call(h.app, 'POST', '/v1/verifications/check', { phone: PHONE, code: h.sender.lastCode(PHONE) })).body,
    );
    v.parse(VerificationResponse, (await call(h.app, 'GET', phonePath(PHONE))).body);
    v.parse(ProblemResponse, (await call(h.app, 'POST', '/v1/verifications', {})).body);
  });
});
