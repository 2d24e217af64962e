// npm run bench: the real service over HTTP beside a bare Hono route, as ratios measured in one run.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { systemClock } from '../src/adapters/clock/system-clock.ts';
import { createRecordingSender } from '../src/adapters/memory/recording-sender.ts';
import { createMongoStores } from '../src/adapters/mongodb/mongo-stores.ts';
import { createNodeCodeHasher } from '../src/adapters/node-crypto/node-code-hasher.ts';
import { createVerifier } from '../src/application/verifier.ts';
import { definePolicy } from '../src/domain/policy.ts';

const ROOT = resolve(import.meta.dirname, '..');
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 50);
const API_KEY = 'bench-api-key-0123456789abcdef';
const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

export interface Server {
  readonly url: string;
  readonly child: ChildProcess;
  /** Every SMS the console sender printed: phone → code. */
  readonly codes: Map<string, string>;
  stop(): Promise<void>;
}

/** Starts `args` under node, waits for its "listening" line, and keeps the codes it prints. */
export async function startServer(args: string[], env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const codes = new Map<string, string>();
  let buffer = '';
  const port = await new Promise<number>((done, failed) => {
    child.on('exit', (code) => failed(new Error(`${args.join(' ')} exited with ${code} before listening`)));
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        const sms = /^\[sms\] to=(\+\d+) text=.*?(\d{6})/.exec(line);
        if (sms) codes.set(sms[1]!, sms[2]!);
        else if (line.includes('"msg":"listening"')) done((JSON.parse(line) as { port: number }).port);
      }
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    codes,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** User plus system CPU time the process has used, in µs (Linux /proc). */
function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / TICKS;
}

export interface Figure {
  readonly scenario: string;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly cpuMicrosPerRequest: number;
  readonly statuses: Record<string, number>;
}

export interface Load {
  readonly method: 'GET' | 'POST';
  /** Path and JSON body of the n-th request. */
  readonly next: (n: number) => { path: string; body?: unknown };
  /** Stop after this many requests rather than after the duration. */
  readonly amount?: number;
}

/** Drives `server` with `load` at CONNECTIONS connections; the server's CPU per request. */
export async function measure(scenario: string, server: Server, load: Load, seconds = SECONDS): Promise<Figure> {
  let n = 0;
  const before = cpuMicros(server.child.pid!);
  const result = await autocannon({
    url: server.url,
    // A fixed amount (right checks: one per sent code) may be smaller than the connection count.
    connections: Math.max(1, Math.min(CONNECTIONS, load.amount ?? CONNECTIONS)),
    ...(load.amount ? { amount: Math.max(1, load.amount) } : { duration: seconds }),
    requests: [
      {
        method: load.method,
        setupRequest: (request) => {
          const { path, body } = load.next(n++);
          return {
            ...request,
            path,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          };
        },
      },
    ],
  });
  const cpu = cpuMicros(server.child.pid!) - before;
  const requests = result.requests.total;
  const statuses = Object.fromEntries(
    Object.entries((result as unknown as { statusCodeStats: Record<string, { count: number }> }).statusCodeStats).map(
      ([code, stats]) => [code, stats.count],
    ),
  );
  return {
    scenario,
    requests,
    requestsPerSecond: Math.round(requests / result.duration),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    cpuMicrosPerRequest: Math.round(cpu / Math.max(1, requests)),
    statuses,
  };
}

/** Phones over 8 area codes x 800 exchanges, so that the prefix limit (20 an hour) is far away. */
const AREAS = ['415', '212', '646', '718', '312', '617', '202', '305'];
export const phone = (i: number) => {
  const spread = (i * 7919) % 64_000_000;
  const exchange = 200 + (spread % 800);
  const area = AREAS[Math.floor(spread / 800) % AREAS.length]!;
  const line = Math.floor(spread / 6400) % 10_000;
  return `+1${area}${exchange}${String(line).padStart(4, '0')}`;
};

/** The production logger and limits, in-memory stores and the console sender (to read the codes). */
export const SERVICE_ENV: Record<string, string> = {
  NODE_ENV: 'production',
  ALLOW_DEVELOPMENT_ADAPTERS: 'true',
  API_KEYS: API_KEY,
  CODE_SECRET: 'bench-secret-0123456789abcdef',
  LOG_LEVEL: 'info',
  // FRAUD_GUARD=off npm run bench measures the service without the fraud guard, for comparison.
  ...(process.env['FRAUD_GUARD'] ? { FRAUD_GUARD: process.env['FRAUD_GUARD'] } : {}),
  // Thousands of sends a second to one country that nobody approves is what the surge rule blocks
  // (after 201): the bench measures sends, so it is off; the prefix rule still runs.
  FRAUD_COUNTRY_SURGE: '0',
};

async function main() {
  const bare = await startServer(['bench/bare-server.ts'], {});
  const mongoUri = process.env['MONGODB_URI'];
  const mongoDb = `sms_verify_bench_${process.pid}`;
  const mongoEnv: Record<string, string> = mongoUri ? { MONGODB_URI: mongoUri, MONGODB_DB: mongoDb } : {};
  const service = await startServer(['src/main.ts'], { ...SERVICE_ENV, ...mongoEnv });
  const figures: Figure[] = [];
  try {
    // Warm both up, so that JIT and first-use costs are not in the figures.
    await measure('warm-up', bare, { method: 'POST', next: () => ({ path: '/bare', body: { phone: phone(0) } }) }, 2);
    await measure(
      'warm-up',
      service,
      { method: 'GET', next: (i) => ({ path: `/v1/verifications/${encodeURIComponent(phone(1_000_000 + i))}` }) },
      2,
    );

    figures.push(
      await measure('bare Hono POST', bare, {
        method: 'POST',
        next: (i) => ({ path: '/bare', body: { phone: phone(i) } }),
      }),
    );
    const send = await measure('send', service, {
      method: 'POST',
      next: (i) => ({ path: '/v1/verifications', body: { phone: phone(i) } }),
    });
    figures.push(send);
    const sent = [...service.codes.keys()];
    figures.push(
      await measure('GET status', service, {
        method: 'GET',
        next: (i) => ({ path: `/v1/verifications/${encodeURIComponent(sent[i % sent.length]!)}` }),
      }),
    );
    // Right checks consume their verification: half the phones, each checked once.
    const half = Math.floor(sent.length / 2);
    figures.push(
      await measure('right check', service, {
        method: 'POST',
        amount: half,
        next: (i) => {
          const p = sent[i % half]!;
          return { path: '/v1/verifications/check', body: { phone: p, code: service.codes.get(p) } };
        },
      }),
    );
    figures.push(
      await measure('wrong check', service, {
        method: 'POST',
        next: (i) => ({
          path: '/v1/verifications/check',
          body: { phone: sent[half + (i % (sent.length - half))], code: '0000000' },
        }),
      }),
    );
    figures.push(
      await measure('refused send (rate-limited)', service, {
        method: 'POST',
        next: () => ({ path: '/v1/verifications', body: { phone: sent[0] } }),
      }),
    );
  } finally {
    await Promise.all([bare.stop(), service.stop()]);
  }
  report(figures);
  if (mongoUri) await reportMongoCommands(mongoUri, mongoDb);
}

/**
 * With MONGODB_URI: the driver's commands per use case, counted by its command monitoring on
 * the adapter the service uses, so that every change to the adapter shows its round trips.
 */
async function reportMongoCommands(uri: string, dbName: string) {
  const stores = await createMongoStores({
    uri,
    dbName,
    clock: systemClock,
    warn: () => undefined,
    monitorCommands: true,
  });
  const commands: string[] = [];
  stores.client.on('commandStarted', (event) => commands.push(event.commandName));
  const sender = createRecordingSender();
  const verifier = createVerifier({
    codes: stores.codes,
    limits: stores.limits,
    sender,
    clock: systemClock,
    hasher: createNodeCodeHasher(['bench-secret-0123456789abcdef']),
    policy: definePolicy({}),
  });
  const count = async (useCase: string, run: () => Promise<unknown>) => {
    commands.length = 0;
    await run();
    const line = { useCase, server: stores.server, commands: commands.length, names: [...commands] };
    console.log(JSON.stringify(line));
    return line;
  };
  const p = phone(123_456);
  const rows = [
    await count('send', () => verifier.start({ phone: p })),
    await count('wrong check', () => verifier.check({ phone: p, code: '0000000' })),
    await count('right check', () => verifier.check({ phone: p, code: sender.lastCode(p)! })),
    await count('GET status', () => verifier.get(p)),
  ];
  console.log(`\nMongoDB commands per use case (${stores.server})`);
  for (const r of rows)
    console.log(`  ${r.useCase.padEnd(28)} ${String(r.commands).padStart(3)}  ${r.names.join(', ')}`);
  await stores.client.db(dbName).dropDatabase();
  await stores.close();
}

function report(figures: Figure[]) {
  const base = figures.find((f) => f.scenario === 'bare Hono POST')!;
  const machine = `${process.platform} ${process.arch}, node ${process.version}, ${CONNECTIONS} connections, ${SECONDS} s each`;
  for (const f of figures)
    console.log(
      JSON.stringify({
        ...f,
        cpuRatio: +(base.cpuMicrosPerRequest / f.cpuMicrosPerRequest).toFixed(3),
        throughputRatio: +(f.requestsPerSecond / base.requestsPerSecond).toFixed(3),
        machine,
      }),
    );
  console.log(
    `\nHTTP, ${machine}; ratio = bare route's CPU per request ÷ this one's (higher is better, 1 = the ceiling)`,
  );
  console.log(
    `  ${'scenario'.padEnd(28)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'CPU µs/req'.padStart(11)} ${'CPU ratio'.padStart(10)}  statuses`,
  );
  for (const f of figures)
    console.log(
      `  ${f.scenario.padEnd(28)} ${String(f.requestsPerSecond).padStart(7)} ${String(f.p50Ms).padStart(7)} ${String(f.p99Ms).padStart(7)} ${String(f.cpuMicrosPerRequest).padStart(11)} ${(base.cpuMicrosPerRequest / f.cpuMicrosPerRequest).toFixed(2).padStart(9)}x  ${JSON.stringify(f.statuses)}`,
    );
}

/** Resident memory of a process, in MB (Linux /proc). */
function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kb) / 1024);
}

/**
 * npm run bench -- --soak: mixed load (half sends to new numbers, a quarter wrong checks, a
 * quarter status reads) at a bounded rate for BENCH_SOAK_SECONDS, sampling the service's RSS every
 * 10 s; after the warm-up (the first fifth, during which the stores fill to their cap) every
 * sample must lie within ±10 % of their mean.
 */
async function soak() {
  const seconds = Number(process.env['BENCH_SOAK_SECONDS'] ?? 300);
  const rate = Number(process.env['BENCH_SOAK_RATE'] ?? 1000);
  const cap = process.env['MEMORY_MAX_VERIFICATIONS'] ?? '10000';
  const service = await startServer(['src/main.ts'], { ...SERVICE_ENV, MEMORY_MAX_VERIFICATIONS: cap });
  const samples: { atSeconds: number; rssMb: number }[] = [];
  const started = Date.now();
  const sampler = setInterval(() => {
    samples.push({ atSeconds: Math.round((Date.now() - started) / 1000), rssMb: rssMb(service.child.pid!) });
    console.log(JSON.stringify({ soak: 'rss', ...samples.at(-1) }));
  }, 10_000);
  let n = 0;
  try {
    const result = await autocannon({
      url: service.url,
      connections: 10,
      overallRate: rate,
      duration: seconds,
      requests: [
        {
          setupRequest: (request) => {
            const i = n++;
            const headers = { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` };
            const p = phone(i >> 1);
            if (i % 2 === 0)
              return {
                ...request,
                method: 'POST',
                path: '/v1/verifications',
                headers,
                body: JSON.stringify({ phone: p }),
              };
            if (i % 4 === 1)
              return {
                ...request,
                method: 'POST',
                path: '/v1/verifications/check',
                headers,
                body: JSON.stringify({ phone: phone(i >> 2), code: '0000000' }),
              };
            return {
              ...request,
              method: 'GET',
              path: `/v1/verifications/${encodeURIComponent(phone(i >> 2))}`,
              headers,
            };
          },
        },
      ],
    });
    clearInterval(sampler);
    const settled = samples.filter((s) => s.atSeconds > seconds / 5);
    const mean = settled.reduce((a, s) => a + s.rssMb, 0) / Math.max(1, settled.length);
    const worst = Math.max(...settled.map((s) => Math.abs(s.rssMb - mean) / mean));
    const verdict = {
      soak: 'result',
      seconds,
      rate,
      cap: Number(cap),
      requests: result.requests.total,
      rssMbFirst: samples[0]?.rssMb,
      rssMbMeanAfterWarmUp: Math.round(mean),
      worstDeviation: +worst.toFixed(3),
      flat: worst <= 0.1,
    };
    console.log(JSON.stringify(verdict));
    console.log(
      `\nsoak: ${result.requests.total} requests in ${seconds} s at ${rate}/s; RSS after warm-up ${Math.round(mean)} MB, ` +
        `worst sample ${(worst * 100).toFixed(1)} % from it: ${verdict.flat ? 'flat (within ±10 %)' : 'NOT flat'}`,
    );
  } finally {
    clearInterval(sampler);
    await service.stop();
  }
}

if (process.argv[1]?.endsWith('http.ts')) {
  if (process.argv.includes('--soak')) await soak();
  else {
    const tools = { measure, phone, startServer, SERVICE_ENV };
    const { failover } = await import('./failover.ts');
    const { scheduler } = await import('./scheduler.ts');
    const { events } = await import('./events.ts');
    // With two providers and the primary failing (bench/failover.ts), the fallback scheduler
    // (bench/scheduler.ts), event webhooks up and down (bench/events.ts); --failover, --scheduler
    // or --events runs that one alone.
    const alone = ['--failover', '--scheduler', '--events'].find((flag) => process.argv.includes(flag));
    if (!alone) await main();
    if (!alone || alone === '--failover') await failover(tools);
    if (!alone || alone === '--scheduler') await scheduler();
    if (!alone || alone === '--events') await events(tools);
  }
}
