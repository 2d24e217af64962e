// npm run simulate:pumping: a day of traffic replayed against the domain on a manual clock, with
// and without the fraud guard, per pumping scenario. Prints a table and one JSON line per run.
import { createManualClock } from '../src/adapters/clock/manual-clock.ts';
import { createMemoryCodeStore } from '../src/adapters/keyed-stores/memory-code-store.ts';
import { createMemoryFraudStore } from '../src/adapters/keyed-stores/memory-fraud-store.ts';
import { createMemorySendLimitStore } from '../src/adapters/memory/memory-send-limit-store.ts';
import { createCodeHasher } from '../src/adapters/web-crypto/code-hasher.ts';
import { createVerifier } from '../src/application/verifier.ts';
import { policyFromSettings } from '../src/config/policy-from-settings.ts';
import { parseSettings } from '../src/config/settings.ts';
import type { FraudMode } from '../src/domain/fraud/fraud-policy.ts';
import { DAY, numberRange, people, pumping, type Random, type Send, seeded } from './pumping-traffic.ts';

const START = new Date('2026-03-02T00:00:00Z').getTime();
const PEOPLE_PER_DAY = Number(process.env['SIM_PEOPLE_PER_DAY'] ?? 10_000);
const SEED = Number(process.env['SIM_SEED'] ?? 1);

/** The policy the service would run with: the settings in the environment (FRAUD_*, limits), the guard as asked. */
function policyOf(guard: FraudMode) {
  const loaded = parseSettings({ ...process.env, NODE_ENV: 'test', FRAUD_GUARD: guard });
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return policyFromSettings(loaded.settings);
}

interface Scenario {
  readonly name: string;
  /** The attack (empty for normal traffic). */
  attack(random: Random): Send[];
  readonly lowCountry?: string;
}

const SCENARIOS: Scenario[] = [
  { name: 'normal traffic', attack: () => [] },
  { name: 'normal, one country converting 25-35%', attack: () => [], lowCountry: 'NG' },
  {
    name: 'burst: 1000 to one prefix in 10 min (UZ)',
    attack: (r) => pumping([numberRange('UZ', 1, r)], 1000, 3 * 3600, 3 * 3600 + 600, r),
  },
  {
    name: 'burst: 5 prefixes x 300 in 30 min (GB, a home country)',
    attack: (r) =>
      pumping(
        Array.from({ length: 5 }, () => numberRange('GB', 2, r)),
        1500,
        14 * 3600,
        14 * 3600 + 1800,
        r,
      ),
  },
  {
    name: 'slow drip: 15 an hour to one prefix all day (ID)',
    attack: (r) => pumping([numberRange('ID', 1, r)], 360, 0, DAY, r),
  },
  {
    // Issue 20's finding: random numbers all over a country people use, no prefix twice.
    name: 'spread: 3000 to random US numbers in 1 h (a home country)',
    attack: (r) => pumping([numberRange('US', 0, r, 10)], 3000, 10 * 3600, 11 * 3600, r),
  },
  {
    name: 'spread: 3000 over 300 prefixes in 6 h (KZ)',
    attack: (r) =>
      pumping(
        Array.from({ length: 300 }, () => numberRange('KZ', 2, r, 5)),
        3000,
        6 * 3600,
        12 * 3600,
        r,
      ),
  },
];

interface Outcome {
  scenario: string;
  guard: FraudMode;
  pumpedAttempts: number;
  pumpedSent: number;
  pumpedRefusedByGuard: number;
  pumpedRefusedByLimits: number;
  legitSends: number;
  legitRefusedByGuard: number;
  legitRefusedByLimits: number;
  blocks: number;
  /** The most pumped SMS any one prefix got. */
  worstPrefix: number;
}

async function run(scenario: Scenario, guard: FraudMode): Promise<Outcome> {
  const random = seeded(SEED);
  const sends = [...people(random, PEOPLE_PER_DAY, scenario.lowCountry), ...scenario.attack(random)];
  const clock = createManualClock(new Date(START));
  // The last code each phone got (a recording sender's search of every message would dominate the run).
  const codes = new Map<string, string>();
  const sender = {
    provider: 'simulated',
    channels: ['sms'] as const,
    send: async (message: { to: string; text: string }) => {
      codes.set(message.to, /\b(\d{4,10})\b/.exec(message.text)![1]!);
      return { ok: true as const, provider: 'simulated', messageId: null };
    },
  };
  let blocks = 0;
  const verifier = createVerifier({
    codes: createMemoryCodeStore({ maxEntries: 1_000_000 }),
    limits: createMemorySendLimitStore({ maxEntries: 3_000_000 }),
    fraud: createMemoryFraudStore(),
    sender,
    clock,
    hasher: await createCodeHasher(['simulation-secret-0123456789']),
    policy: policyOf(guard),
    events: {
      emit: (e) => {
        if (e.type === 'fraud_blocked') blocks += 1;
      },
    },
  });

  // One timeline of sends and the approvals they lead to, replayed in order (a binary heap on time).
  type Step = { at: number; seq: number; run: () => Promise<void> };
  const heap: Step[] = [];
  let seq = 0;
  const before = (a: Step, b: Step) => a.at < b.at || (a.at === b.at && a.seq < b.seq);
  const schedule = (step: Omit<Step, 'seq'>) => {
    heap.push({ ...step, seq: seq++ });
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const next = (): Step => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  };
  const o: Outcome = {
    scenario: scenario.name,
    guard,
    pumpedAttempts: 0,
    pumpedSent: 0,
    pumpedRefusedByGuard: 0,
    pumpedRefusedByLimits: 0,
    legitSends: 0,
    legitRefusedByGuard: 0,
    legitRefusedByLimits: 0,
    blocks: 0,
    worstPrefix: 0,
  };
  const pumpedByPrefix = new Map<string, number>();
  for (const send of sends) {
    schedule({
      at: send.at,
      run: async () => {
        const result = await verifier.start({ phone: send.phone });
        if (send.pumped) o.pumpedAttempts += 1;
        else o.legitSends += 1;
        if (result.ok) {
          if (send.pumped) {
            o.pumpedSent += 1;
            const prefix = send.phone.slice(0, -5);
            pumpedByPrefix.set(prefix, (pumpedByPrefix.get(prefix) ?? 0) + 1);
          } else if (send.approveAfter !== null) {
            const code = codes.get(result.value.phone)!;
            schedule({
              at: send.at + send.approveAfter,
              run: async () => {
                await verifier.check({ phone: send.phone, code });
              },
            });
          }
          return;
        }
        const byGuard = result.error.name === 'FRAUD_BLOCKED';
        if (send.pumped) o[byGuard ? 'pumpedRefusedByGuard' : 'pumpedRefusedByLimits'] += 1;
        else o[byGuard ? 'legitRefusedByGuard' : 'legitRefusedByLimits'] += 1;
      },
    });
  }
  while (heap.length > 0) {
    const step = next();
    clock.set(new Date(START + step.at * 1000));
    await step.run();
  }
  o.blocks = blocks;
  o.worstPrefix = Math.max(0, ...pumpedByPrefix.values());
  return o;
}

const started = performance.now();
const rows: Outcome[] = [];
const only = process.env['SIM_SCENARIO'];
for (const scenario of SCENARIOS.filter((s) => !only || s.name.includes(only))) {
  for (const guard of ['off', 'block'] as const) {
    const outcome = await run(scenario, guard);
    rows.push(outcome);
    console.log(JSON.stringify(outcome));
  }
}
const pad = (s: string | number, n: number) => String(s).padEnd(n);
console.log(
  `\nOne simulated day, ${PEOPLE_PER_DAY} people's sends (+ a 300-send sign-up push), seed ${SEED}, settings from the environment; ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
);
console.log(
  `${pad('scenario', 56)}${pad('guard', 7)}${pad('pumped sent', 13)}${pad('refused (guard/limits)', 24)}${pad('worst prefix', 14)}${pad('people refused (guard/limits)', 31)}blocks`,
);
for (const r of rows) {
  console.log(
    `${pad(r.scenario, 56)}${pad(r.guard, 7)}${pad(`${r.pumpedSent}/${r.pumpedAttempts}`, 13)}${pad(`${r.pumpedRefusedByGuard}/${r.pumpedRefusedByLimits}`, 24)}${pad(r.worstPrefix, 14)}${pad(`${r.legitRefusedByGuard}/${r.legitRefusedByLimits} of ${r.legitSends}`, 31)}${r.blocks}`,
  );
}
