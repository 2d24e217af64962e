// The image's start command, run outside Docker as the image lays it out: dist/ built from src/,
// production dependencies only, on Node 24 (fetched from the npm registry), then its health check.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchEnv } from '../support/fetch-env.ts';
import { freePort } from '../support/free-port.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8').replace(/\\\n\s*/g, ' ');
const runtime = dockerfile.split(/^FROM /m).at(-1)!;
const json = (name: string) =>
  JSON.parse(new RegExp(`^${name} (?:.* )?(\\[.*\\])$`, 'm').exec(runtime)![1]!) as string[];
/** ENV of the runtime stage, `A=1 B=2`. */
const imageEnv = Object.fromEntries(
  [...(/^ENV (.*)$/m.exec(runtime)?.[1] ?? '').matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]),
);

describe("the image's start command, outside Docker", () => {
  let app: string;
  let node: string;
  beforeAll(() => {
    app = mkdtempSync(join(tmpdir(), 'sms-verify-image-'));
    const run = (command: string, args: string[], cwd = ROOT) =>
      execFileSync(command, args, {
        cwd,
        encoding: 'utf8',
        env: { PATH: process.env['PATH'] ?? '', ...fetchEnv() },
        stdio: ['ignore', 'pipe', 'pipe'],
      }).trim();
    node = run('bash', ['scripts/fetch-runtime.sh', 'node@24']);
    // As the stages do: production dependencies alone, and dist/ compiled from src/.
    for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(ROOT, file), join(app, file));
    run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], app);
    run(join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json', '--outDir', join(app, 'dist')]);
  }, 300_000);
  afterAll(() => {
    if (app) rmSync(app, { recursive: true, force: true });
  });

  it('starts, answers its health check, and stops on SIGTERM with exit code 0', async () => {
    const [command, ...args] = json('CMD');
    expect(command).toBe('node');
    const port = String(await freePort());
    const env: Record<string, string> = {
      ...imageEnv,
      PORT: port,
      HOST: '127.0.0.1',
      API_KEYS: 'image-test-key-0123456789',
      CODE_SECRET: 'image-test-secret-0123456789abcdef',
      // No MongoDB or Twilio here: production refuses the embedded default unless told.
      ALLOW_DEVELOPMENT_ADAPTERS: 'true',
    };
    expect(env['NODE_ENV']).toBe('production');
    const child = spawn(node, args, { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    const exited = new Promise<number | null>((done) => child.on('exit', done));
    try {
      await expect.poll(() => output, { timeout: 30_000 }).toMatch(/"msg":"listening"/);
      const [checkCommand, ...checkArgs] = json('HEALTHCHECK.*CMD');
      const check = (extra: Record<string, string>) =>
        new Promise<number | null>((done) =>
          spawn(checkCommand === 'node' ? node : checkCommand!, checkArgs, { env: { ...env, ...extra } }).on(
            'exit',
            done,
          ),
        );
      expect(await check({})).toBe(0);
      // The check fails where nothing answers, so its 0 above means something.
      expect(await check({ PORT: String(await freePort()) })).toBe(1);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 60_000);
});
