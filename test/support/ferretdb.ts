// Starts FerretDB (SQLite backend, loopback only, telemetry off) for tests, and stops it.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './free-port.ts';

const INSTALL = resolve(import.meta.dirname, '../../scripts/install-ferretdb.sh');

/** The FerretDB binary: FERRETDB_BIN, else the project's build (made now when Go is available). */
export function ferretDbBinary(): { path: string } | { reason: string } {
  const given = process.env['FERRETDB_BIN'];
  if (given) return existsSync(given) ? { path: given } : { reason: `FERRETDB_BIN=${given} does not exist` };
  try {
    const path = execFileSync('bash', [INSTALL], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 15 * 60_000,
    }).trim();
    return { path };
  } catch (error) {
    return { reason: `FerretDB could not be installed (${(error as Error).message.split('\n')[0]})` };
  }
}

export interface FerretDb {
  readonly uri: string;
  readonly port: number;
  readonly dataDir: string;
  /** Stops the server, keeping its data. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open and nothing answers. */
  pause(): void;
  /** Lets a paused server run again (SIGCONT). */
  resume(): void;
  /** Stops it and deletes its data. */
  destroy(): Promise<void>;
}

export async function startFerretDb(binary: string): Promise<FerretDb> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sms-verify-ferretdb-'));
  const port = await freePort();
  const debugPort = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn(
      binary,
      [
        '--handler=sqlite',
        `--sqlite-url=file:${dataDir}/`,
        `--listen-addr=127.0.0.1:${port}`,
        `--debug-addr=127.0.0.1:${debugPort}`,
        '--telemetry=disable',
        // Its state file (telemetry consent, a UUID) would otherwise land in the working directory.
        `--state-dir=${dataDir}`,
        '--log-level=error',
      ],
      { stdio: 'ignore' },
    );
    await waitForPort(port, 15_000);
  };
  const stop = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((done) => {
      running.once('exit', () => done());
      running.kill('SIGTERM');
    });
  };
  await start();
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    port,
    dataDir,
    stop,
    start,
    pause: () => {
      (child as ChildProcess | null)?.kill('SIGSTOP');
    },
    resume: () => {
      (child as ChildProcess | null)?.kill('SIGCONT');
    },
    destroy: async () => {
      (child as ChildProcess | null)?.kill('SIGCONT');
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        done(true);
      });
      socket.once('error', () => done(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`FerretDB did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
}
