// npm run bench -- --scheduler: what the fallback scheduler costs at rest and with 1,000 workflows pending.
import { createManualClock } from '../src/adapters/clock/manual-clock.ts';
import { createMemoryCodeStore } from '../src/adapters/keyed-stores/memory-code-store.ts';
import { createMemorySendLimitStore } from '../src/adapters/memory/memory-send-limit-store.ts';
import { createRecordingSender } from '../src/adapters/memory/recording-sender.ts';
import { createMongoStores } from '../src/adapters/mongodb/mongo-stores.ts';
import { createCodeHasher } from '../src/adapters/web-crypto/code-hasher.ts';
import { runDueSteps } from '../src/application/run-workflow.ts';
import { startVerification } from '../src/application/start-verification.ts';
import type { VerifierDeps } from '../src/application/verifier-deps.ts';
import { definePolicy } from '../src/domain/policy.ts';
import { parseWorkflow } from '../src/domain/verification/workflow.ts';
import { ferretDbBinary, startFerretDb } from '../test/support/ferretdb.ts';

const PENDING = Number(process.env['BENCH_PENDING'] ?? 1_000);
/**
 * FerretDB 1.x on SQLite filters without its indexes, so every send and pass scans the collection:
 * 1,000 pending takes many minutes there. It gets fewer unless BENCH_PENDING says otherwise.
 */
const FERRETDB_PENDING = Number(process.env['BENCH_PENDING'] ?? 200);
const PASSES = Number(process.env['BENCH_PASSES'] ?? 100);

interface Row {
  readonly store: string;
  readonly scenario: string;
  /** CPU of this process per pass (or per send), µs. */
  readonly cpuMicros: number;
  /** Store commands per pass (or per send); null on the memory store. */
  readonly commands: number | null;
}

/**
 * Each store measured in one run, in this process (the scheduler is the service's own code, so
 * its CPU is this process's): a plain send, the baseline; a scheduler pass with nothing pending
 * (the cost at rest, paid every FALLBACK_POLL_SECONDS); a pass with 1,000 workflows pending but
 * none due; and a step sent by the scheduler when all 1,000 fall due. MongoDB: MONGODB_URI, else
 * the project's FerretDB when it is built; the memory store always.
 */
export async function scheduler(): Promise<Row[]> {
  const rows: Row[] = [];
  rows.push(...(await measureStore('memory', null, PENDING)));
  const given = process.env['MONGODB_URI'];
  const binary = given ? null : ferretDbBinary();
  const ferret = binary && 'path' in binary ? await startFerretDb(binary.path) : null;
  const uri = given ?? ferret?.uri;
  try {
    if (uri)
      rows.push(...(await measureStore(given ? 'mongodb' : 'ferretdb', uri, given ? PENDING : FERRETDB_PENDING)));
    else console.log(`no MongoDB: ${binary && 'reason' in binary ? binary.reason : 'none'}`);
  } finally {
    await ferret?.destroy();
  }
  report(rows);
  return rows;
}

async function measureStore(store: string, uri: string | null, pending: number): Promise<Row[]> {
  const clock = createManualClock(new Date('2026-12-01T12:00:00.000Z'));
  const commands: string[] = [];
  const dbName = `sms_verify_bench_scheduler_${process.pid}`;
  const mongo = uri
    ? await createMongoStores({ uri, dbName, clock, warn: () => undefined, monitorCommands: true })
    : null;
  mongo?.client.on('commandStarted', (event) => commands.push(event.commandName));
  const sender = createRecordingSender();
  sender.sent.push = () => 0;
  const workflow = parseWorkflow('sms:600,call');
  if (!workflow.ok) throw new Error(workflow.error);
  const deps: VerifierDeps = {
    codes: mongo?.codes ?? createMemoryCodeStore(),
    limits: mongo?.limits ?? createMemorySendLimitStore(),
    sender,
    clock,
    hasher: await createCodeHasher(['bench-secret-0123456789abcdef']),
    policy: definePolicy({ resendCooldownSeconds: 0, codeTtlSeconds: 1200, workflow: workflow.workflow }),
  };
  /** Runs `op` `times` times; CPU µs and store commands per run. */
  const per = async (scenario: string, times: number, op: (i: number) => Promise<unknown>): Promise<Row> => {
    commands.length = 0;
    const before = process.cpuUsage();
    for (let i = 0; i < times; i++) await op(i);
    const cpu = process.cpuUsage(before);
    const row = {
      store,
      scenario,
      cpuMicros: Math.round((cpu.user + cpu.system) / times),
      commands: mongo ? +(commands.length / times).toFixed(2) : null,
    };
    console.error(`  ${store} ${scenario}: ${row.cpuMicros} µs, ${row.commands ?? '-'} commands (per run of ${times})`);
    return row;
  };
  const phone = (i: number) => `+1415${2_000_000 + ((i * 7919) % 8_000_000)}`;
  const pass = () => runDueSteps(deps, { bareOnly: false });
  try {
    await per('warm-up', 50, (i) => startVerification(deps, { phone: phone(900_000 + i) }));
    await per('warm-up', 50, pass);
    clock.advance(3_600); // the warm-up's codes expire: nothing pending
    const rows = [await per('pass at rest', PASSES, pass)];
    rows.unshift(await per('send (baseline)', pending, (i) => startVerification(deps, { phone: phone(i) })));
    rows.push(await per(`pass, ${pending} pending, none due`, PASSES, pass));
    clock.advance(601);
    let sent = 0;
    const due = await per(`step sent, ${pending} due`, 1, async () => {
      for (let passes = 0; sent < pending && passes < pending; passes++) sent += await pass();
    });
    if (sent !== pending) throw new Error(`the scheduler sent ${sent} of ${pending} due steps`);
    rows.push({
      ...due,
      cpuMicros: Math.round(due.cpuMicros / pending),
      commands: due.commands === null ? null : +(due.commands / pending).toFixed(2),
    });
    return rows;
  } finally {
    if (mongo) {
      await mongo.client.db(dbName).dropDatabase();
      await mongo.close();
    }
  }
}

function report(rows: readonly Row[]) {
  for (const r of rows) console.log(JSON.stringify({ bench: 'scheduler', ...r }));
  console.log(
    `\nFallback scheduler (one pass every FALLBACK_POLL_SECONDS, default 1 s); ratio = a pass's or step's CPU ÷ a plain send's`,
  );
  console.log(
    `  ${'store'.padEnd(9)} ${'scenario'.padEnd(30)} ${'CPU µs'.padStart(8)} ${'ratio'.padStart(7)} commands`,
  );
  for (const r of rows) {
    const base = rows.find((b) => b.store === r.store && b.scenario === 'send (baseline)')!;
    console.log(
      `  ${r.store.padEnd(9)} ${r.scenario.padEnd(30)} ${String(r.cpuMicros).padStart(8)} ${(r.cpuMicros / base.cpuMicros).toFixed(2).padStart(6)}x ${r.commands ?? '-'}`,
    );
  }
}
