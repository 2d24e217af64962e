// The same flow on Node 22, 24 and 26, Bun and Deno. The runtimes come from the npm registry
// through scripts/fetch-runtime.sh (cached per machine), fetched where this test is asked for:
// in CI (CI=true) or `npm run test:runtimes`; elsewhere the ones already fetched run.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fetchEnv } from '../support/fetch-env.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const FLOW = 'test/runtime/flow.ts';
const FETCH = process.env['CI'] === 'true' || process.env['SMS_VERIFY_RUNTIMES'] === '1';
const env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', DENO_NO_UPDATE_CHECK: '1' };

/** The runtime's binary, fetched if this run may fetch; null when it is not here and may not be. */
function runtime(name: string): string | null {
  try {
    return execFileSync('bash', ['scripts/fetch-runtime.sh', name], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...env, ...fetchEnv(), ...(FETCH ? {} : { npm_config_offline: 'true' }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  } catch (error) {
    if (FETCH) throw error;
    return null;
  }
}

const run = (command: string, args: string[]) => {
  const out = execFileSync(command, args, { cwd: ROOT, encoding: 'utf8', env });
  return JSON.parse(out.trim().split('\n').at(-1)!) as unknown;
};

const RUNTIMES: Record<string, (binary: string) => string[]> = {
  'node@22': () => ['--import', 'tsx', FLOW],
  'node@24': () => ['--import', 'tsx', FLOW],
  'node@26': () => ['--import', 'tsx', FLOW],
  // No --allow-net: Deno runs the whole flow with network access denied.
  deno: () => ['run', '--no-lock', '--allow-read', '--allow-env', FLOW],
  bun: () => ['run', FLOW],
};

describe('the domain and HTTP layers on other runtimes', () => {
  const expected = run(process.execPath, ['--import', 'tsx', FLOW]);

  it(`gives the expected answers on this Node (${process.version})`, () => {
    expect(expected).toEqual({
      sent: 201,
      again: [429, 'SMS_002'],
      wrong: [422, 4],
      right: 'approved',
      unsigned: 403,
      requestId: true,
      openapi: '3.1.0',
    });
  });

  for (const [name, args] of Object.entries(RUNTIMES)) {
    const binary = runtime(name);
    it.skipIf(binary === null)(
      `gives the same answers on ${name}${binary === null ? ' (skipped: not fetched here; npm run test:runtimes fetches it)' : ''}`,
      () => {
        expect(run(binary!, args(binary!))).toEqual(expected);
      },
      60_000,
    );
  }
});
