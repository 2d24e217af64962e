// The README, .env.example and the API reference name every setting and error code the code has.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKERS_REGISTRY } from '../../src/config/registry.ts';
import { SETTING_NAMES as NODE_SETTINGS, settingNames } from '../../src/config/settings.ts';
import { ERRORS } from '../../src/domain/errors.ts';
import { buildOpenApiDocument } from '../../src/http/openapi.ts';
import { STATUS } from '../../src/http/problem.ts';
import { undocumented } from '../support/docs-check.ts';

/** What the Node entry reads and what the Workers entry reads (DO_SHARDS). */
const SETTING_NAMES = [...new Set([...NODE_SETTINGS, ...settingNames(WORKERS_REGISTRY)])];
const read = (path: string) => readFileSync(resolve(import.meta.dirname, '../..', path), 'utf8');

describe('documentation stays true to the code', () => {
  it('lists every setting in README.md and .env.example, and no setting the code does not read', () => {
    const readme = read('README.md');
    const example = read('.env.example');
    expect(SETTING_NAMES.length).toBeGreaterThan(30);
    expect(undocumented(SETTING_NAMES, readme, example)).toEqual([]);
    const exampleNames = [...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]);
    expect(exampleNames.filter((n) => !SETTING_NAMES.includes(n!))).toEqual([]);
  });

  it('lists in docs/api.md exactly the error codes the API document gives each verification route', async () => {
    const api = read('docs/api.md');
    const doc = buildOpenApiDocument({ secured: true });
    type Operation = { responses: Record<string, { description?: string }> };
    const paths = doc.paths as Record<string, Record<string, Operation>>;
    const routes: [string, Operation | undefined][] = [
      ['POST /v1/verifications`', paths['/v1/verifications']?.['post']],
      ['POST /v1/verifications/check`', paths['/v1/verifications/check']?.['post']],
      ['GET /v1/verifications/{phone}`', paths['/v1/verifications/{phone}']?.['get']],
      ['DELETE /v1/verifications/{phone}`', paths['/v1/verifications/{phone}']?.['delete']],
    ];
    for (const [heading, op] of routes) {
      const section = api.slice(api.indexOf(heading), api.indexOf('\n### ', api.indexOf(heading) + 1));
      const listed = /Errors: ([^.]*)\./.exec(section)?.[1]?.match(/SMS_\d{3}/g) ?? [];
      const described = Object.values(op!.responses).flatMap((r) => r.description?.match(/SMS_\d{3}/g) ?? []);
      expect(new Set(listed), heading).toEqual(new Set(described));
    }
  });

  it('gives every error code its HTTP status in docs/api.md', () => {
    const api = read('docs/api.md');
    for (const [name, { code }] of Object.entries(ERRORS)) {
      const status = STATUS[name as keyof typeof ERRORS];
      expect(api, `${code} ${status}`).toMatch(new RegExp(`\\| ${code} \\| ${status}`));
    }
  });
});
