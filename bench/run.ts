// npm run bench: throughput and memory of the core paths, as ratios to baselines measured in the same run.
import { createManualClock } from '../src/adapters/clock/manual-clock.ts';
import { createMemoryCodeStore } from '../src/adapters/keyed-stores/memory-code-store.ts';
import { createMemorySendLimitStore } from '../src/adapters/memory/memory-send-limit-store.ts';
import { createRecordingSender } from '../src/adapters/memory/recording-sender.ts';
import { createNodeCodeHasher } from '../src/adapters/node-crypto/node-code-hasher.ts';
import { createCodeHasher } from '../src/adapters/web-crypto/code-hasher.ts';
import { createVerifier } from '../src/application/verifier.ts';
import { sendLimits } from '../src/domain/limits/limit-rules.ts';
import { parsePhone } from '../src/domain/phone/phone.ts';
import { definePolicy } from '../src/domain/policy.ts';
import { createApp } from '../src/http/create-app.ts';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 1.5);

/** Runs `op` repeatedly for about SECONDS (after a short warm-up); operations per second. */
async function rate(op: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 200; i++) await op(-1 - i);
  let n = 0;
  const start = performance.now();
  const end = start + SECONDS * 1000;
  while (performance.now() < end) {
    for (let k = 0; k < 50; k++) await op(n++);
  }
  return (n / (performance.now() - start)) * 1000;
}

/** Phones spread over 8,000 prefixes (exchanges 200 to 999), so the default prefix limit is not what is measured. */
const phone = (i: number) => `+1415${2_000_000 + ((Math.abs(i) * 7919) % 8_000_000)}`;

async function main() {
  const clock = createManualClock();
  const sender = createRecordingSender();
  sender.sent.push = () => 0; // keep no messages: memory is measured below, not here
  const codes = createMemoryCodeStore();
  const verifier = createVerifier({
    codes,
    limits: createMemorySendLimitStore(),
    sender,
    clock,
    hasher: await createCodeHasher(['bench-secret-0123456789']),
    policy: definePolicy({ resendCooldownSeconds: 0 }),
  });
  const app = createApp({ verifier });
  const post = (path: string, body: unknown) =>
    app.request(`http://localhost${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  const baseline = await rate(async () => app.request('http://localhost/healthz'));
  const send = await rate(async (i) => post('/v1/verifications', { phone: phone(i) }));
  const wrongCheck = await rate(async (i) => post('/v1/verifications/check', { phone: phone(i), code: '00000000' }));
  const status = await rate(async (i) =>
    app.request(`http://localhost/v1/verifications/${encodeURIComponent(phone(i))}`),
  );
  const hasher = await createCodeHasher(['bench-secret-0123456789']);
  const hashOnly = await rate((i) => hasher.hash(phone(i), '123456'));
  const nodeHasher = createNodeCodeHasher(['bench-secret-0123456789']);
  const nodeHashOnly = await rate((i) => nodeHasher.hash(phone(i), '123456'));
  const nodeApp = createApp({
    verifier: createVerifier({
      codes: createMemoryCodeStore(),
      limits: createMemorySendLimitStore(),
      sender,
      clock,
      hasher: nodeHasher,
      policy: definePolicy({ resendCooldownSeconds: 0 }),
    }),
  });
  const nodeSend = await rate(async (i) =>
    nodeApp.request('http://localhost/v1/verifications', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ phone: phone(i) }),
    }),
  );
  const parseOnly = await rate(async (i) => parsePhone(phone(i), undefined, {}));
  const limits = createMemorySendLimitStore();
  const policy = definePolicy({ resendCooldownSeconds: 0 });
  const admitOnly = await rate((i) =>
    limits.admit(`c${i}`, sendLimits(policy, phone(i), undefined, clock.now()), clock.now()),
  );

  const rows = [
    ['GET /healthz (baseline)', baseline],
    ['send, Web Crypto hasher (memory stores)', send],
    ['POST /v1/verifications/check (wrong code)', wrongCheck],
    ['GET /v1/verifications/{phone}', status],
    ['send, node:crypto hasher (what npm start uses)', nodeSend],
    ['HMAC-SHA-256 code hash alone (Web Crypto)', hashOnly],
    ['HMAC-SHA-256 code hash alone (node:crypto)', nodeHashOnly],
    ['phone parse (libphonenumber-js max) alone', parseOnly],
    ['send limits admission alone (default limits)', admitOnly],
  ] as const;
  console.log(`\nthroughput, one process, ${SECONDS} s each (ratio = ops/s ÷ baseline ops/s in this run)`);
  for (const [name, ops] of rows)
    console.log(`  ${name.padEnd(48)} ${ops.toFixed(0).padStart(8)} ops/s   ${(ops / baseline).toFixed(3)}x`);

  // Memory: heap per stored verification, against the same number of bare objects in a Map.
  const N = 50_000;
  const heap = () => {
    (globalThis as { gc?: () => void }).gc?.();
    return process.memoryUsage().heapUsed;
  };
  const store = createMemoryCodeStore();
  const before = heap();
  for (let i = 0; i < N; i++) {
    await store.put({
      phone: phone(i),
      id: `id-${i}`.padEnd(32, '0'),
      codeHash: 'h'.repeat(43),
      createdAt: new Date(),
      expiresAt: new Date(Date.now() + 600_000),
      attempts: 0,
      verified: false,
      verifiedAt: null,
      purgeAt: new Date(Date.now() + 87_000_000),
      delivery: null,
      messageId: null,
    });
  }
  const perRecord = (heap() - before) / N;
  const plain = new Map<string, { n: number }>();
  const before2 = heap();
  for (let i = 0; i < N; i++) plain.set(phone(i), { n: i });
  const perPlain = (heap() - before2) / N;
  console.log(
    `\nmemory, ${N} stored verifications${(globalThis as { gc?: unknown }).gc ? '' : ' (run with --expose-gc for steadier figures)'}`,
  );
  console.log(
    `  bytes per verification ${perRecord.toFixed(0)}; Map of bare objects (baseline) ${perPlain.toFixed(0)}; ratio ${(perRecord / perPlain).toFixed(2)}x`,
  );
  console.log(`  store size ${store.size()} (kept ${plain.size} baseline entries)`);
}

await main();
