// Prometheus metrics through the app: outcomes, reasons, latency by route, conversion by country.
import { describe, expect, it } from 'vitest';
import { createPrometheusMetrics } from '../../src/adapters/prometheus/prometheus-metrics.ts';
import { createHarness, PHONE } from '../support/harness.ts';
import { call } from '../support/http.ts';

const value = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('GET /metrics', () => {
  it('counts sends, checks, limits, provider errors and deliveries, and times requests by route', async () => {
    const metrics = createPrometheusMetrics({ processMetrics: false });
    const h = await createHarness({ metrics });
    await call(h.app, 'POST', '/v1/verifications', { phone: PHONE });
    await call(h.app, 'POST', '/v1/verifications', { phone: PHONE });
    await call(h.app, 'POST', '/v1/verifications', { phone: '+442079460018' });
    h.sender.failNext({ ok: false, reason: 'provider_failed', providerCode: '20503', detail: 'busy' });
    await call(h.app, 'POST', '/v1/verifications', { phone: '+12125550123' });
    await call(h.app, 'POST', '/v1/verifications/check', { phone: PHONE, code: h.wrong(h.sender.lastCode(PHONE)!) });
    await call(h.app, 'POST', '/v1/verifications/check', { phone: PHONE, code: h.sender.lastCode(PHONE) });
    await call(h.app, 'POST', '/v1/verifications/check', { phone: PHONE, code: '123456' });
    const messageId = (await h.codes.get(PHONE, h.clock.now()))!.messageId!;
    await h.verifier.recordDelivery({ messageId, status: 'delivered' });

    const res = await call(h.app, 'GET', '/metrics').catch(() => null);
    expect(res).toBeNull();
    const raw = await h.app.request('http://localhost/metrics');
    expect(raw.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await raw.text();
    expect(value(text, 'sms_verify_sends_total{outcome="sent",provider="recording",channel="sms"}')).toBe(2);
    expect(value(text, 'sms_verify_sends_total{outcome="rate_limited"}')).toBe(1);
    expect(value(text, 'sms_verify_sends_total{outcome="provider_error",provider="recording",channel="sms"}')).toBe(1);
    expect(value(text, 'sms_verify_rate_limited_total{reason="cooldown"}')).toBe(1);
    expect(value(text, 'sms_verify_provider_errors_total{provider="recording",kind="failed",code="20503"}')).toBe(1);
    expect(value(text, 'sms_verify_checks_total{outcome="wrong"}')).toBe(1);
    expect(value(text, 'sms_verify_checks_total{outcome="approved"}')).toBe(1);
    expect(value(text, 'sms_verify_checks_total{outcome="none_pending"}')).toBe(1);
    expect(value(text, 'sms_verify_deliveries_total{status="delivered"}')).toBe(1);
    expect(value(text, 'sms_verify_conversion_ratio{country="US"}')).toBe(1);
    expect(value(text, 'sms_verify_conversion_ratio{country="GB"}')).toBe(0);
    expect(value(text, 'sms_verify_conversion_ratio_by_provider{country="US",provider="recording"}')).toBe(1);
    expect(
      value(
        text,
        'sms_verify_http_request_duration_seconds_count{route="/v1/verifications",method="POST",status="201"}',
      ),
    ).toBe(2);
    expect(
      value(
        text,
        'sms_verify_http_request_duration_seconds_count{route="/v1/verifications/check",method="POST",status="422"}',
      ),
    ).toBe(1);
    expect(text).not.toContain('4155552671');
  });

  it('counts conversion per channel: an approval counts for the channel of the last send', async () => {
    const metrics = createPrometheusMetrics({ processMetrics: false });
    const h = await createHarness({ metrics });
    const other = '+12125550123';
    await call(h.app, 'POST', '/v1/verifications', { phone: PHONE });
    await call(h.app, 'POST', '/v1/verifications', { phone: other });
    const code = h.sender.lastCode(PHONE);
    h.clock.advance(120);
    // The person never read the SMS; the call they asked for reached them.
    expect((await call(h.app, 'POST', '/v1/verifications', { phone: PHONE, channel: 'call' })).status).toBe(201);
    expect((await call(h.app, 'POST', '/v1/verifications/check', { phone: PHONE, code })).status).toBe(200);
    expect(
      (await call(h.app, 'POST', '/v1/verifications/check', { phone: other, code: h.sender.lastCode(other) })).status,
    ).toBe(200);

    const text = await (await h.app.request('http://localhost/metrics')).text();
    // sms: two sent, one approved after an SMS; call: one sent, one approved after it.
    expect(value(text, 'sms_verify_conversion_ratio_by_channel{country="US",channel="sms"}')).toBe(0.5);
    expect(value(text, 'sms_verify_conversion_ratio_by_channel{country="US",channel="call"}')).toBe(1);
    expect(value(text, 'sms_verify_conversion_ratio{country="US"}')).toBe(2 / 3);
    expect(value(text, 'sms_verify_sends_total{outcome="sent",provider="recording",channel="call"}')).toBe(1);
  });

  it('is absent where no metrics adapter is given (edge runtimes)', async () => {
    const h = await createHarness();
    expect((await h.app.request('http://localhost/metrics')).status).toBe(404);
  });
});
