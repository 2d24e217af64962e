// npm run bench -- --events: a send's cost with event webhooks off, with the endpoint answering,
// and with the endpoint holding every delivery until its timeout (a dead endpoint).
import { EVENT_SECRET, startEventReceiver } from '../test/support/event-receiver.ts';
import type { BenchTools } from './failover.ts';
import type { Figure } from './http.ts';

/**
 * Three services measured in the same run, the receiver in this process: no endpoint (the
 * baseline), an endpoint that answers 200 at once, and one that never answers (each delivery runs
 * into EVENT_WEBHOOK_TIMEOUT_MS and is retried). A send must cost the same with the endpoint up or
 * down: deliveries run beside the requests, never inside them.
 */
export async function events({ measure, phone, startServer, SERVICE_ENV }: BenchTools): Promise<Figure[]> {
  const [up, down] = await Promise.all([startEventReceiver(), startEventReceiver()]);
  down.holdEverything();
  const figures: Figure[] = [];
  const configs: [string, Record<string, string>][] = [
    ['send, no event webhooks', {}],
    ['send, endpoint up', { EVENT_WEBHOOK_URL: up.url, EVENT_WEBHOOK_SECRET: EVENT_SECRET }],
    [
      'send, endpoint down (holds)',
      { EVENT_WEBHOOK_URL: down.url, EVENT_WEBHOOK_SECRET: EVENT_SECRET, EVENT_WEBHOOK_TIMEOUT_MS: '2000' },
    ],
  ];
  let offset = 3_000_000;
  try {
    for (const [scenario, env] of configs) {
      const service = await startServer(['src/main.ts'], { ...SERVICE_ENV, ...env });
      try {
        const warm = offset;
        await measure(
          'warm-up',
          service,
          { method: 'POST', next: (i) => ({ path: '/v1/verifications', body: { phone: phone(warm + i) } }) },
          2,
        );
        offset += 200_000;
        const start = offset;
        figures.push(
          await measure(scenario, service, {
            method: 'POST',
            next: (i) => ({ path: '/v1/verifications', body: { phone: phone(start + i) } }),
          }),
        );
        offset += 200_000;
      } finally {
        await service.stop();
      }
    }
  } finally {
    down.release();
    await Promise.all([up.close(), down.close()]);
  }
  const base = figures[0]!;
  console.log(
    `\nEvents: a send with webhooks off, up and down (ratio = baseline CPU per request ÷ this one's; up received ${up.deliveries.length}, down held ${down.deliveries.length})`,
  );
  for (const f of figures) {
    console.log(
      JSON.stringify({
        ...f,
        cpuRatio: +(base.cpuMicrosPerRequest / f.cpuMicrosPerRequest).toFixed(3),
        p50AddedMs: f.p50Ms - base.p50Ms,
      }),
    );
    console.log(
      `  ${f.scenario.padEnd(30)} p50 ${String(f.p50Ms).padStart(5)} ms (+${f.p50Ms - base.p50Ms})  p99 ${String(f.p99Ms).padStart(5)} ms  CPU ${String(f.cpuMicrosPerRequest).padStart(6)} µs/req  ratio ${(base.cpuMicrosPerRequest / f.cpuMicrosPerRequest).toFixed(2)}x  ${JSON.stringify(f.statuses)}`,
    );
  }
  return figures;
}
