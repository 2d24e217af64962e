// The Durable Object stores as the contract suites see them: each port method a call into workerd.
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { randomId } from '../../src/domain/random.ts';
import type { AttemptStore } from '../../src/ports/attempt-store.ts';
import type { CodeStore } from '../../src/ports/code-store.ts';
import type { EventOutbox } from '../../src/ports/event-outbox.ts';
import type { FraudStore } from '../../src/ports/fraud-store.ts';
import type { IdempotencyStore } from '../../src/ports/idempotency-store.ts';
import type { LimitLedger } from '../../src/ports/limit-ledger.ts';
import type { SafeListStore } from '../../src/ports/safe-list-store.ts';
import type { SendLimitStore } from '../../src/ports/send-limit-store.ts';
import { fetchEnv } from './fetch-env.ts';
import { fromWire, toWire } from './wire.ts';

const ROOT = resolve(import.meta.dirname, '../..');

export interface WorkersBridge {
  /** A new, empty set of stores (objects of their own) inside the running workerd; or set `id`'s again. */
  stores(id?: string): {
    codes: CodeStore;
    ledger: LimitLedger;
    limits: SendLimitStore;
    idempotency: IdempotencyStore;
    fraud: FraudStore;
    attempts: AttemptStore;
    safeList: SafeListStore;
    outbox: EventOutbox;
  };
  close(): Promise<void>;
}

/** Starts workerd with the test bridge (test/workers/bridge.ts); Node 22+ is fetched if need be. */
export async function startWorkersBridge(options: { persistDir?: string } = {}): Promise<WorkersBridge> {
  const child: ChildProcess = spawn(
    'bash',
    ['scripts/with-node.sh', 'test/support/workers-host.mjs', 'test/workers/bridge.ts'],
    {
      cwd: ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        ...fetchEnv(),
        ...(options.persistDir ? { WORKERS_PERSIST_DIR: options.persistDir } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const url = await new Promise<string>((done, failed) => {
    const timer = setTimeout(() => failed(new Error(`workerd did not start in 120 s:\n${output}`)), 120_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const line = /^\{"url":"[^"]+"\}$/m.exec(output)?.[0];
      if (line) {
        clearTimeout(timer);
        done((JSON.parse(line) as { url: string }).url);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (code) => failed(new Error(`workerd host exited with ${code}:\n${output}`)));
  });

  const port = <T extends object>(store: string, name: string): T =>
    new Proxy({} as T, {
      get: (_target, method) =>
        typeof method !== 'string' || method === 'then'
          ? undefined
          : async (...args: unknown[]) => {
              const res = await fetch(url, { method: 'POST', body: toWire({ store, port: name, method, args }) });
              const answer = fromWire(await res.text()) as
                | { ok: true; value: unknown }
                | { ok: false; name: string; message: string };
              if (answer.ok) return answer.value;
              throw Object.assign(new Error(answer.message), { name: answer.name });
            },
    });

  return {
    stores(id = randomId()) {
      return {
        codes: port<CodeStore>(id, 'codes'),
        ledger: port<LimitLedger>(id, 'ledger'),
        limits: port<SendLimitStore>(id, 'limits'),
        idempotency: port<IdempotencyStore>(id, 'idempotency'),
        fraud: port<FraudStore>(id, 'fraud'),
        attempts: port<AttemptStore>(id, 'attempts'),
        safeList: port<SafeListStore>(id, 'safeList'),
        outbox: port<EventOutbox>(id, 'outbox'),
      };
    },
    close: () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}
