// Runs the service as users do (node --import tsx src/main.ts, like npm start; or in workerd, like
// npm run start:workers) on a free loopback port.
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fetchEnv } from './fetch-env.ts';

const ROOT = resolve(import.meta.dirname, '../..');

export interface ServiceProcess {
  readonly url: string;
  readonly port: number;
  readonly lines: string[];
  readonly child: ChildProcess;
  /** Resolves with the first output line (old or new) matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartOptions {
  /** Runs `npm start` in this folder instead of node on src/main.ts in the project's. */
  readonly npmStartIn?: string;
  /** `workers`: the Workers entry in workerd with Durable Object stores (`npm run start:workers`). */
  readonly runtime?: 'node' | 'workers';
}

export async function startService(
  env: Record<string, string> = {},
  options: StartOptions = {},
): Promise<ServiceProcess> {
  const [command, args] = options.npmStartIn
    ? ['npm', ['start', '--silent']]
    : options.runtime === 'workers'
      ? ['bash', ['scripts/with-node.sh', 'scripts/start-workers.mjs']]
      : [process.execPath, ['--import', 'tsx', 'src/main.ts']];
  // Where scripts/with-node.sh finds (or fetches) Node 24 for Miniflare.
  const home = options.runtime === 'workers' ? fetchEnv() : {};
  const child = spawn(command, args, {
    cwd: options.npmStartIn ?? ROOT,
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', ...home, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  for (const stream of [child.stdout!, child.stderr!]) {
    let buffer = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffer += chunk;
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      lines.push(...parts.filter(Boolean));
      for (const wake of waiters) wake();
    });
  }
  const waitFor = (pattern: RegExp, timeoutMs = 15_000) =>
    new Promise<string>((done, failed) => {
      const check = () => {
        const found = lines.find((l) => pattern.test(l));
        if (found === undefined) return;
        waiters.delete(check);
        clearTimeout(timer);
        done(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        failed(new Error(`no line matching ${pattern} within ${timeoutMs} ms; output:\n${lines.join('\n')}`));
      }, timeoutMs);
      waiters.add(check);
      check();
      void exited.then(() => setTimeout(check, 50));
    });
  const listening = await Promise.race([
    waitFor(/"msg":"listening"/, options.runtime === 'workers' ? 120_000 : 15_000),
    exited.then((code) => {
      throw new Error(`service exited with ${code} before listening:\n${lines.join('\n')}`);
    }),
  ]);
  const port = (JSON.parse(listening) as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    lines,
    child,
    waitFor,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** POSTs `body` as JSON to a running service; its status and parsed answer. */
export async function postJson(service: ServiceProcess, path: string, body: unknown) {
  const res = await fetch(`${service.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The service on Twilio through a local double of its REST API (`twilio-double.ts`), with `env` on top. */
export async function startServiceOnTwilio(double: { url: string }, env: Record<string, string> = {}) {
  const { DOUBLE_SID, DOUBLE_TOKEN } = await import('./twilio-double.ts');
  return startService({
    TWILIO_ACCOUNT_SID: DOUBLE_SID,
    TWILIO_AUTH_TOKEN: DOUBLE_TOKEN,
    TWILIO_FROM: '+15005550006',
    TWILIO_API_BASE_URL: double.url,
    ...env,
  });
}
