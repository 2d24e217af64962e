// Metrics on prom-client, in a registry of the service's own.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Metrics } from '../../ports/metrics.ts';

const SEND_OUTCOMES: Readonly<Record<string, string>> = {
  sent: 'sent',
  test_code_issued: 'test_code',
  rate_limited: 'rate_limited',
  destination_refused: 'refused',
  provider_failed: 'provider_error',
  number_type_refused: 'number_type_refused',
  fraud_refused: 'fraud_blocked',
};
const CHECK_OUTCOMES: Readonly<Record<string, string>> = {
  approved: 'approved',
  wrong_code: 'wrong',
  expired: 'expired',
  locked: 'locked',
  not_pending: 'none_pending',
};

/**
 * Counters by outcome and reason, a latency histogram by route, and the approved/sent ratio by
 * country: a falling ratio for one country is the mark of SMS pumping (sends nobody verifies).
 */
export function createPrometheusMetrics(options: { processMetrics?: boolean } = {}): Metrics & { registry: Registry } {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'sms_verify_' });
  const sends = new Counter({
    name: 'sms_verify_sends_total',
    help: 'Send requests by outcome, and by provider and channel once a provider answered.',
    labelNames: ['outcome', 'provider', 'channel'],
    registers: [registry],
  });
  const limited = new Counter({
    name: 'sms_verify_rate_limited_total',
    help: 'Sends refused by a limit, by limit.',
    labelNames: ['reason'],
    registers: [registry],
  });
  const providerErrors = new Counter({
    name: 'sms_verify_provider_errors_total',
    help: 'Provider errors by provider, kind and provider code.',
    labelNames: ['provider', 'kind', 'code'],
    registers: [registry],
  });
  const checks = new Counter({
    name: 'sms_verify_checks_total',
    help: 'Checks by outcome.',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const dropped = new Counter({
    name: 'sms_verify_records_dropped_total',
    help: 'Records given up: record (write queue full: an attempt or an outgoing event), webhook (retried 24 h)',
    labelNames: ['what'],
    registers: [registry],
  });
  const lockouts = new Counter({
    name: 'sms_verify_lockouts_total',
    help: 'Codes locked by too many wrong checks.',
    registers: [registry],
  });
  const refundFailures = new Counter({
    name: 'sms_verify_refund_failures_total',
    help: 'Sends that never reached the provider but could not be taken back from the limits (store outage).',
    registers: [registry],
  });
  const deliveries = new Counter({
    name: 'sms_verify_deliveries_total',
    help: 'Delivery status changes reported by the provider.',
    labelNames: ['status'],
    registers: [registry],
  });
  const sentByCountry = new Counter({
    name: 'sms_verify_sent_by_country_total',
    help: 'Codes sent (every send and resend), by country, provider and channel.',
    labelNames: ['country', 'provider', 'channel'],
    registers: [registry],
  });
  const approvedByCountry = new Counter({
    name: 'sms_verify_approved_by_country_total',
    help: 'Codes approved, by country and the provider and channel of their last send.',
    labelNames: ['country', 'provider', 'channel'],
    registers: [registry],
  });
  const fraudBlocks = new Counter({
    name: 'sms_verify_fraud_blocks_total',
    help: 'Prefixes blocked by the fraud guard (mode block), or that it would have blocked (mode monitor), by country.',
    labelNames: ['mode', 'country'],
    registers: [registry],
  });
  const fraudLifted = new Counter({
    name: 'sms_verify_fraud_lifts_total',
    help: 'Fraud blocks lifted early by an operator.',
    registers: [registry],
  });
  const fraudCountFailures = new Counter({
    name: 'sms_verify_fraud_count_failures_total',
    help: 'Sends or approvals the fraud guard could not count (store outage).',
    registers: [registry],
  });
  const requests = new Histogram({
    name: 'sms_verify_http_request_duration_seconds',
    help: 'HTTP request latency by route pattern, method and status.',
    labelNames: ['route', 'method', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  conversionGauge('sms_verify_conversion_ratio', 'Codes approved per code sent since start, by country.', ['country']);
  conversionGauge(
    'sms_verify_conversion_ratio_by_provider',
    'Codes approved per code sent since start, by country and provider: one provider converting worse in a country stands out.',
    ['country', 'provider'],
  );
  conversionGauge(
    'sms_verify_conversion_ratio_by_channel',
    'Codes approved per code sent since start, by country and channel (an approval counts for the channel of the last send): voice pumping shows as a falling call ratio.',
    ['country', 'channel'],
  );
  /** A gauge of approved ÷ sent, the two counters summed over every label but `by`. */
  function conversionGauge(name: string, help: string, by: readonly string[]) {
    const keyOf = (labels: Partial<Record<string, string | number>>) => JSON.stringify(by.map((l) => labels[l]));
    const sum = async (counter: Counter) => {
      const totals = new Map<string, { labels: Record<string, string>; value: number }>();
      for (const v of (await counter.get()).values) {
        const key = keyOf(v.labels);
        const labels = Object.fromEntries(by.map((l) => [l, String(v.labels[l])]));
        totals.set(key, { labels, value: (totals.get(key)?.value ?? 0) + v.value });
      }
      return totals;
    };
    return new Gauge({
      name,
      help,
      labelNames: by,
      registers: [registry],
      async collect() {
        this.reset();
        const [sent, approved] = await Promise.all([sum(sentByCountry), sum(approvedByCountry)]);
        for (const [key, { labels, value }] of sent)
          if (value > 0) this.set(labels, (approved.get(key)?.value ?? 0) / value);
      },
    });
  }

  let circuits: () => Readonly<Record<string, string>> = () => ({});
  const CIRCUIT_VALUE: Readonly<Record<string, number>> = { closed: 0, half_open: 1, open: 2 };
  new Gauge({
    name: 'sms_verify_provider_circuit_state',
    help: "Each provider's circuit breaker: 0 closed, 1 half open (probing), 2 open (skipped).",
    labelNames: ['provider'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [provider, state] of Object.entries(circuits())) this.set({ provider }, CIRCUIT_VALUE[state] ?? 2);
    },
  });

  return {
    registry,
    watchCircuits(read) {
      circuits = read;
    },
    dropped(what) {
      dropped.inc({ what });
    },
    event(event) {
      if (event.type === 'delivery') {
        deliveries.inc({ status: event.deliveryStatus });
        return;
      }
      if (event.type === 'fraud_blocked') fraudBlocks.inc({ mode: event.mode, country: event.country });
      if (event.type === 'fraud_lifted') fraudLifted.inc();
      if (event.type === 'fraud_count_failed') fraudCountFailures.inc();
      const country = event.country ?? 'unknown';
      if (event.type === 'refund_failed') refundFailures.inc();
      const send = SEND_OUTCOMES[event.type];
      // Refusals before any provider (limits, number types, the fraud guard) have neither label.
      const via = 'channel' in event && 'provider' in event ? { provider: event.provider, channel: event.channel } : {};
      if (send) sends.inc({ outcome: send, ...via });
      const check = CHECK_OUTCOMES[event.type];
      if (check) checks.inc({ outcome: check });
      if (event.type === 'sent') sentByCountry.inc({ country, provider: event.provider, channel: event.channel });
      if (event.type === 'approved')
        approvedByCountry.inc({ country, provider: event.provider ?? 'none', channel: event.channel ?? 'none' });
      if (event.type === 'lockout') lockouts.inc();
      if (event.type === 'rate_limited') for (const reason of event.reasons) limited.inc({ reason });
      if (event.type === 'provider_failed' || event.type === 'destination_refused') {
        providerErrors.inc({
          provider: event.provider,
          kind: event.type === 'provider_failed' ? 'failed' : 'refused',
          code: event.providerCode ?? 'unknown',
        });
      }
    },
    request(route, method, status, seconds) {
      requests.observe({ route, method, status: String(status) }, seconds);
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
