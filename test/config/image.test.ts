// The container image and compose file, read as text (no Docker engine here): what they promise.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const dockerfile = readFileSync(resolve(ROOT, 'Dockerfile'), 'utf8').replace(/\\\n\s*/g, ' ');
const lines = dockerfile.split('\n').filter((l) => l.trim() && !l.trimStart().startsWith('#'));
const stages = dockerfile.split(/^FROM /m).slice(1);
const runtime = stages.at(-1)!;
const instruction = (stage: string, name: string) =>
  stage
    .split('\n')
    .filter((l) => l.startsWith(`${name} `))
    .map((l) => l.slice(name.length + 1).trim());

describe('Dockerfile', () => {
  it('builds every stage on Node 24', () => {
    const bases = lines.filter((l) => l.startsWith('FROM ')).map((l) => l.split(/\s+/)[1]);
    expect(bases.length).toBeGreaterThanOrEqual(2);
    for (const base of bases) expect(base).toMatch(/^node:24(-|$)/);
  });

  it('runs as the unprivileged node user, in production', () => {
    expect(instruction(runtime, 'USER')).toEqual(['node']);
    expect(instruction(runtime, 'ENV').join(' ')).toMatch(/NODE_ENV=production/);
  });

  it('starts compiled JavaScript that the build produces from src/, with no TypeScript loader', () => {
    const [cmd] = instruction(runtime, 'CMD');
    const argv = JSON.parse(cmd!) as string[];
    expect(argv[0]).toBe('node');
    const file = argv.find((a) => a.endsWith('.js'))!;
    expect(file).toBe('dist/main.js');
    // dist/ comes from the build stage, which compiles tsconfig.build.json (src → dist).
    expect(runtime).toMatch(/COPY --from=build \/app\/dist \.\/dist/);
    expect(stages[0]).toMatch(/RUN npx tsc -p tsconfig.build.json/);
    const build = JSON.parse(readFileSync(resolve(ROOT, 'tsconfig.build.json'), 'utf8')) as {
      compilerOptions: { rootDir: string; outDir: string };
    };
    expect(build.compilerOptions).toMatchObject({ rootDir: 'src', outDir: 'dist' });
    expect(existsSync(resolve(ROOT, 'src/main.ts'))).toBe(true);
    expect(dockerfile).not.toMatch(/tsx/);
    const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(pkg.dependencies)).not.toContain('tsx');
  });

  it('installs production dependencies only into the runtime image', () => {
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(/COPY --from=deps \/app\/node_modules \.\/node_modules/);
  });

  it('checks readiness on /readyz', () => {
    const [check] = instruction(runtime, 'HEALTHCHECK');
    expect(check).toMatch(/--interval=\d+s/);
    expect(check).toMatch(/CMD \["node", "-e", ".*\/readyz.*"\]/);
  });
});

describe('docker-compose.yml', () => {
  const compose = readFileSync(resolve(ROOT, 'docker-compose.yml'), 'utf8');
  const service = compose.slice(compose.indexOf('  sms-verify:'));

  it('builds the image and checks the service on /readyz', () => {
    expect(service).toMatch(/build: \./);
    expect(service).toMatch(/healthcheck:\n\s+test: \["CMD", "node", "-e", ".*\/readyz.*"\]/);
  });
});
