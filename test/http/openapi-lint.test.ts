// The API document as served with every provider, the operator API and /v2, through an independent
// linter (Redocly's recommended rules): no error and no warning.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeService } from '../../src/compose.ts';
import { parseSettings } from '../../src/config/settings.ts';
import { GATEWAY_SECRET } from '../support/gateway-double.ts';
import { capturingLogger } from '../support/log-capture.ts';

const ROOT = resolve(import.meta.dirname, '../..');

async function servedDocument() {
  const loaded = parseSettings({
    API_KEYS: 'lint-key-0123456789abcdef',
    ADMIN_API_KEYS: 'lint-admin-0123456789abcdef',
    PUBLIC_BASE_URL: 'https://verify.example.com',
    SMS_PROVIDER: 'twilio,vonage,http',
    TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 'twilio-token-0123456789abcdef',
    TWILIO_FROM: '+15005550006',
    VONAGE_API_KEY: 'vonagekey',
    VONAGE_API_SECRET: 'vonage-secret-0123456789',
    VONAGE_FROM: 'Acme',
    VONAGE_SIGNATURE_SECRET: 'vonage-signature-secret-0123456789',
    HTTP_GATEWAY_URL: 'https://gateway.example.com/sms',
    HTTP_GATEWAY_SECRET: GATEWAY_SECRET,
    EVENT_WEBHOOK_URL: 'https://app.example.com/events',
    EVENT_WEBHOOK_SECRET: GATEWAY_SECRET,
  });
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  const service = await composeService(loaded.settings, { logger: capturingLogger() });
  try {
    const res = await service.app.request('/openapi.json');
    return (await res.json()) as { paths: Record<string, unknown> };
  } finally {
    await service.close();
  }
}

/** Redocly's findings on `doc`, as [severity, rule, where] each. */
function lint(doc: unknown): { severity: string; ruleId: string; location: string }[] {
  const dir = mkdtempSync(join(tmpdir(), 'sms-verify-lint-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc, null, 2));
    let out: string;
    try {
      out = execFileSync(join(ROOT, 'node_modules/.bin/redocly'), ['lint', file, '--format=json'], {
        encoding: 'utf8',
        env: { PATH: process.env['PATH'] ?? '', REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      // It exits 1 when it finds an error; the findings are on stdout either way.
      out = String((error as { stdout?: string }).stdout);
    }
    const report = JSON.parse(out.slice(out.indexOf('{'))) as {
      problems: { severity: string; ruleId: string; location: { pointer: string }[] }[];
    };
    return report.problems.map((p) => ({
      severity: p.severity,
      ruleId: p.ruleId,
      location: p.location[0]?.pointer ?? '',
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the API document under an independent linter', () => {
  it('has every provider callback, the operator API (attempts, safe list, events) and /v2, in groups', async () => {
    const doc = (await servedDocument()) as { paths: Record<string, Record<string, { tags?: string[] }>> };
    for (const path of [
      '/v1/webhooks/twilio/status',
      '/v1/webhooks/vonage/status',
      '/v1/webhooks/http/status',
      '/v1/attempts',
      '/v1/attempts/summary',
      '/v1/safe-list',
      '/v1/events/failed',
      '/v2/Attempts',
      '/v2/SafeList/Numbers',
    ])
      expect(Object.keys(doc.paths)).toContain(path);
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/v2/'))).toBe(true);
    for (const operations of Object.values(doc.paths))
      for (const operation of Object.values(operations)) expect(operation.tags).toHaveLength(1);
  });

  it('has no error and no warning', async () => {
    expect(lint(await servedDocument())).toEqual([]);
  }, 60_000);

  it('reports what it should: a document without servers is an error to it', async () => {
    const { servers: _, ...doc } = (await servedDocument()) as Record<string, unknown>;
    expect(lint(doc)).toEqual([expect.objectContaining({ severity: 'error', ruleId: 'no-empty-servers' })]);
  }, 60_000);
});
