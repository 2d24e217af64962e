// The README's walk-through: its three curl steps, as written, run against a service's URL.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
const block = /<!-- walkthrough:start -->\n```sh\n([\s\S]*?)```\n<!-- walkthrough:end -->/.exec(readme)?.[1] ?? '';
export const WALKTHROUGH_STEPS = block.split(/\n(?=# \d\.)/).map((s) => s.trim());

/** Runs one step (bash, curl) against `url` in place of localhost:3000; its JSON answer. */
export function runStep(step: string, url: string): Record<string, unknown> {
  const script = step.replaceAll('http://localhost:3000', url);
  return JSON.parse(execFileSync('bash', ['-euo', 'pipefail', '-c', script], { encoding: 'utf8' })) as Record<
    string,
    unknown
  >;
}
