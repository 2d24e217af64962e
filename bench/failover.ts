// npm run bench -- --failover: the cost of a failing primary provider, closed breaker and open, beside a healthy one.
import { GATEWAY_SECRET, startGatewayDouble } from '../test/support/gateway-double.ts';
import { DOUBLE_SID, DOUBLE_TOKEN, startTwilioDouble } from '../test/support/twilio-double.ts';
import type { Figure, Load, Server } from './http.ts';

/** What http.ts lends (passed in, not imported: http.ts imports this file). */
export interface BenchTools {
  measure(scenario: string, server: Server, load: Load, seconds?: number): Promise<Figure>;
  phone(i: number): string;
  startServer(args: string[], env: Record<string, string>): Promise<Server>;
  readonly SERVICE_ENV: Record<string, string>;
}

/**
 * Three services, each measured in the same run: the HTTP gateway as the only provider (the
 * baseline); Twilio first, answering 503 to every send, with a breaker that never opens (every
 * send pays Twilio's bounded retries, then fails over); and the same with the default breaker,
 * which opens after 5 failures so that sends go straight to the gateway. The doubles run in this
 * process, so the server's CPU per request is the service's alone.
 */
export async function failover({ measure, phone, startServer, SERVICE_ENV }: BenchTools): Promise<Figure[]> {
  const [twilio, gateway] = await Promise.all([startTwilioDouble(), startGatewayDouble()]);
  twilio.failNext(1_000_000, 503, 20503, 'Service Unavailable');
  const providers = {
    TWILIO_ACCOUNT_SID: DOUBLE_SID,
    TWILIO_AUTH_TOKEN: DOUBLE_TOKEN,
    TWILIO_FROM: '+15005550006',
    TWILIO_API_BASE_URL: twilio.url,
    HTTP_GATEWAY_URL: gateway.url,
    HTTP_GATEWAY_SECRET: GATEWAY_SECRET,
  };
  const figures: Figure[] = [];
  const configs: [string, Record<string, string>][] = [
    ['send, one healthy provider', { SMS_PROVIDER: 'http' }],
    ['send, primary failing, closed', { SMS_PROVIDER: 'twilio,http', PROVIDER_BREAKER_FAILURES: '1000' }],
    ['send, primary failing, open', { SMS_PROVIDER: 'twilio,http' }],
  ];
  let offset = 2_000_000;
  try {
    for (const [scenario, env] of configs) {
      const service = await startServer(['src/main.ts'], { ...SERVICE_ENV, ...providers, ...env });
      try {
        const base = offset;
        await measure(
          'warm-up',
          service,
          { method: 'POST', next: (i) => ({ path: '/v1/verifications', body: { phone: phone(base + i) } }) },
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
    await Promise.all([twilio.close(), gateway.close()]);
  }
  const base = figures[0]!;
  console.log("\nFailover: a send beside one healthy provider (ratio = its CPU per request ÷ this one's; p50 added)");
  for (const f of figures) {
    console.log(
      JSON.stringify({
        ...f,
        cpuRatio: +(base.cpuMicrosPerRequest / f.cpuMicrosPerRequest).toFixed(3),
        p50AddedMs: f.p50Ms - base.p50Ms,
      }),
    );
    console.log(
      `  ${f.scenario.padEnd(32)} p50 ${String(f.p50Ms).padStart(5)} ms (+${f.p50Ms - base.p50Ms})  CPU ${String(f.cpuMicrosPerRequest).padStart(6)} µs/req  ratio ${(base.cpuMicrosPerRequest / f.cpuMicrosPerRequest).toFixed(2)}x  ${JSON.stringify(f.statuses)}`,
    );
  }
  return figures;
}
