// The package as people get it: `npm pack`, installed into an empty project, running the README's
// embedding example and typed client as written.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const example = (name: string) =>
  new RegExp(`<!-- ${name}:start -->\\n\`\`\`[a-z]+\\n([\\s\\S]*?)\`\`\`\\n<!-- ${name}:end -->`).exec(readme)?.[1] ??
  '';
const env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp' };
const run = (command: string, args: string[], cwd: string) =>
  execFileSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

// Serves the embedding example on a loopback port, runs the client example against it (its
// output is the `resendAt` of a send), then checks the code the console sender printed.
const RUN = `
import { serve } from '@hono/node-server';
const lines = [];
const log = console.log;
console.log = (line, ...rest) => (String(line).startsWith('[sms]') ? lines.push(String(line)) : log(line, ...rest));
const { app } = await import('./embedding.mjs');
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
await new Promise((ready) => server.once('listening', ready));
const base = 'http://127.0.0.1:' + server.address().port + '/verify';
process.env.BASE = base;
const printed = [];
console.log = (line, ...rest) => (String(line).startsWith('[sms]') ? lines.push(String(line)) : printed.push(String(line)));
await import('./client.mjs');
console.log = log;
const code = /code is (\\d+)\\./.exec(lines[0] ?? '')?.[1];
const check = await fetch(base + '/v1/verifications/check', {
  method: 'POST', headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ phone: '+14155552671', code }),
});
const home = await (await fetch('http://127.0.0.1:' + server.address().port + '/')).text();
const node = await import('sms-verify/node');
console.log(JSON.stringify({ resendAt: printed[0], sms: lines.length, checked: (await check.json()).status, home,
  node: [typeof node.createMongoStores, typeof node.createTwilioSdkSender, typeof node.createPrometheusMetrics] }));
server.close();
`;

describe('the published package', () => {
  let dir: string;
  let tarball: string;
  let files: string[];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sms-verify-pack-'));
    // `npm pack` runs `prepare`, which builds dist/ as a publish would.
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', dir], ROOT)) as {
      filename: string;
      files: { path: string }[];
    }[];
    tarball = join(dir, packed[0]!.filename);
    files = packed[0]!.files.map((f) => f.path);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'host', private: true, type: 'module' }));
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarball], dir);
  }, 300_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('packs the built code, the sources for Bun and Deno, the licence and the changelog, and nothing else', () => {
    for (const path of ['package.json', 'LICENSE', 'README.md', 'CHANGELOG.md', 'docs/api.md', 'wrangler.jsonc'])
      expect(files).toContain(path);
    for (const path of ['dist/index.js', 'dist/index.d.ts', 'dist/node.js', 'dist/client.js', 'dist/workers.js'])
      expect(files).toContain(path);
    expect(files).toContain('src/index.ts');
    const stray = files.filter((f) => /^(test|bench|scripts|node_modules|\.ci)\/|^\.env|\.map$/.test(f));
    expect(stray).toEqual([]);
  });

  it('carries the MIT licence its package.json names', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg['license']).toBe('MIT');
    expect(pkg['private']).toBeUndefined();
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
  });

  it("runs the README's embedding example and typed client from the installed tarball", () => {
    expect(example('embedding')).toContain("from 'sms-verify'");
    expect(example('client')).toContain("from 'sms-verify/client'");
    writeFileSync(join(dir, 'embedding.mjs'), example('embedding'));
    writeFileSync(
      join(dir, 'client.mjs'),
      example('client').replace("'https://verify.example.com'", 'process.env.BASE'),
    );
    writeFileSync(join(dir, 'run.mjs'), RUN);
    const out = JSON.parse(run(process.execPath, ['run.mjs'], dir).trim().split('\n').at(-1)!) as Record<
      string,
      unknown
    >;
    expect(out).toMatchObject({ sms: 1, checked: 'approved', home: 'my app' });
    // sms-verify/node resolves from the tarball too, with what the comments tell readers to swap in.
    expect(out['node']).toEqual(['function', 'function', 'function']);
    expect(Date.parse(String(out['resendAt']))).toBeGreaterThan(Date.now() - 60_000);
  });

  it('type-checks the typed client example against the installed types', () => {
    writeFileSync(join(dir, 'client.ts'), example('client'));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true },
        files: ['client.ts'],
      }),
    );
    // A wrong field must fail, so the check is not vacuous.
    writeFileSync(join(dir, 'wrong.ts'), `${example('client')}\nif (res.status === 201) (await res.json()).nope;\n`);
    const tsc = (args: string[]) => {
      try {
        run(join(ROOT, 'node_modules/.bin/tsc'), args, dir);
        return '';
      } catch (error) {
        return String((error as { stdout?: string }).stdout);
      }
    };
    expect(tsc(['-p', '.'])).toBe('');
    const strict = [
      '--ignoreConfig',
      '--noEmit',
      '--strict',
      '--module',
      'NodeNext',
      '--target',
      'ES2022',
      '--skipLibCheck',
    ];
    expect(tsc([...strict, 'wrong.ts'])).toMatch(/Property 'nope' does not exist/);
  });

  it('loads only hono/client from sms-verify/client: no driver, no SDK', () => {
    const client = readFileSync(join(dir, 'node_modules/sms-verify/dist/client.js'), 'utf8');
    expect([...client.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1])).toEqual(['hono/client']);
  });
});
