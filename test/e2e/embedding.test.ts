// Embedding: a plain Node app (no TypeScript loader) imports the package by name and mounts the API.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

const HOST_APP = `
import { Hono } from 'hono';
import { createApp, createVerifier, createCodeHasher, definePolicy, createMemoryCodeStore,
  createMemorySendLimitStore, createRecordingSender, systemClock } from 'sms-verify';
import { createPrometheusMetrics } from 'sms-verify/node';

const sender = createRecordingSender();
const verifier = createVerifier({
  codes: createMemoryCodeStore(), limits: createMemorySendLimitStore(), sender, clock: systemClock,
  hasher: await createCodeHasher(['host-secret-0123456789']), policy: definePolicy({ codeLength: 8 }),
});
const host = new Hono();
host.get('/', (c) => c.text('host app'));
host.route('/verify', createApp({ verifier, metrics: createPrometheusMetrics({ processMetrics: false }) }));

const post = (path, body) => host.request(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const sent = await post('/verify/v1/verifications', { phone: '+14155552671' });
const checked = await post('/verify/v1/verifications/check', { phone: '+14155552671', code: sender.lastCode('+14155552671') });
const wrongRoute = await host.request('/verify/v1/nothing');
console.log(JSON.stringify({ sent: sent.status, checked: (await checked.json()).status, host: await (await host.request('/')).text(), wrongRoute: wrongRoute.status, codeLength: sender.lastCode('+14155552671').length }));
`;

describe('embedding the package', () => {
  beforeAll(() => {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }, 120_000);

  it('mounts createApp in a host Hono app on plain Node, from the compiled package', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', HOST_APP], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '' },
    });
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual({
      sent: 201,
      checked: 'approved',
      host: 'host app',
      wrongRoute: 404,
      codeLength: 8,
    });
  });
});
