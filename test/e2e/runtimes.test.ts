// The same flow on Node, Bun and Deno (both installed from the npm registry as dev dependencies).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const FLOW = 'test/runtime/flow.ts';
const bin = (name: string) => resolve(ROOT, 'node_modules/.bin', name);
const run = (command: string, args: string[]) => {
  const out = execFileSync(command, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', DENO_NO_UPDATE_CHECK: '1' },
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as unknown;
};

const onNode = () => run(process.execPath, ['--import', 'tsx', FLOW]);
const RUNTIMES = {
  // No --allow-net: Deno runs the whole flow with network access denied.
  deno: { binary: bin('deno'), args: ['run', '--no-lock', '--allow-read', '--allow-env', FLOW] },
  bun: { binary: bin('bun'), args: ['run', FLOW] },
};

describe('the domain and HTTP layers on other runtimes', () => {
  const expected = onNode();

  it('gives the expected answers on Node', () => {
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

  for (const [name, { binary, args }] of Object.entries(RUNTIMES)) {
    it.skipIf(!existsSync(binary))(
      `gives the same answers on ${name}${existsSync(binary) ? '' : ' (skipped: its npm package did not install a binary)'}`,
      () => {
        expect(run(binary, args)).toEqual(expected);
      },
      60_000,
    );
  }
});
