// npm start with three providers on local doubles: failover, routes by country, breakers, signatures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_SECRET, type GatewayDouble, startGatewayDouble } from '../support/gateway-double.ts';
import { postJson, type ServiceProcess, startServiceOnTwilio } from '../support/service-process.ts';
import { startTwilioDouble, type TwilioDouble } from '../support/twilio-double.ts';
import { startVonageDouble, VONAGE_KEY, VONAGE_SECRET, type VonageDouble } from '../support/vonage-double.ts';

const codeIn = (text: string) => /\b(\d{6})\b/.exec(text)![1]!;

describe('the service on Twilio, Vonage and an HTTP gateway (local doubles)', () => {
  let twilio: TwilioDouble;
  let vonage: VonageDouble;
  let gateway: GatewayDouble;
  let service: ServiceProcess;
  beforeAll(async () => {
    [twilio, vonage, gateway] = await Promise.all([startTwilioDouble(), startVonageDouble(), startGatewayDouble()]);
    service = await startServiceOnTwilio(twilio, {
      SMS_PROVIDER: 'twilio,vonage',
      SMS_ROUTES: 'IN=http,DE=http|vonage',
      TWILIO_MAX_RETRIES: '0',
      VONAGE_API_KEY: VONAGE_KEY,
      VONAGE_API_SECRET: VONAGE_SECRET,
      VONAGE_FROM: 'Acme',
      VONAGE_API_BASE_URL: vonage.url,
      VONAGE_MAX_RETRIES: '0',
      HTTP_GATEWAY_URL: gateway.url,
      HTTP_GATEWAY_SECRET: GATEWAY_SECRET,
      HTTP_GATEWAY_MAX_RETRIES: '0',
      PROVIDER_BREAKER_FAILURES: '3',
      PROVIDER_BREAKER_SECONDS: '3600',
    });
  });
  afterAll(async () => {
    await service?.stop();
    await Promise.all([twilio?.close(), vonage?.close(), gateway?.close()]);
  });

  it('fails over to Vonage while Twilio answers 503: 201, the code arrives at Vonage and approves, GET names vonage', async () => {
    const phone = '+14155550141';
    twilio.failNext(1, 503, 20503, 'Service Unavailable');
    expect((await postJson(service, '/v1/verifications', { phone })).status).toBe(201);
    const message = vonage.received.at(-1)!;
    expect(message.to).toBe(phone.slice(1));
    expect(
      (await postJson(service, '/v1/verifications/check', { phone, code: codeIn(message.text) })).body,
    ).toMatchObject({ status: 'approved' });
    const read = await fetch(`${service.url}/v1/verifications/${encodeURIComponent(phone)}`);
    expect(((await read.json()) as { delivery: unknown }).delivery).toMatchObject({ provider: 'vonage' });
    expect(twilio.received.some((m) => m.to === phone)).toBe(false);
  });

  it('stops calling Twilio once its circuit opens: its requests stop at PROVIDER_BREAKER_FAILURES', async () => {
    twilio.failNext(10, 503, 20503, 'Service Unavailable');
    twilio.requests = 0;
    for (let i = 0; i < 6; i++)
      expect((await postJson(service, '/v1/verifications', { phone: `+1415555016${i}` })).status).toBe(201);
    // One failure came from the first test: two more open the circuit, and nothing reaches Twilio after.
    expect(twilio.requests).toBe(2);
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/sms_verify_provider_circuit_state\{provider="twilio"\} 2/);
    expect(metrics).toMatch(/sms_verify_sends_total\{outcome="sent",provider="vonage",channel="sms"\} 7/);
    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ providers: { twilio: 'open', vonage: 'closed', http: 'closed' } });
  });

  it('answers 502 SMS_008 when every provider of the route failed, charging nothing: the phone can send again at once', async () => {
    const phone = '+14155550171';
    vonage.failHttp(1, 503);
    const failed = await postJson(service, '/v1/verifications', { phone });
    expect(failed).toMatchObject({ status: 502, body: { code: 'SMS_008' } });
    expect((await postJson(service, '/v1/verifications', { phone })).status).toBe(201);
  });

  it('sends a country routed to the gateway through the gateway alone, signed so the gateway accepts it', async () => {
    const before = { twilio: twilio.requests, vonage: vonage.received.length, forged: gateway.forged };
    const phone = '+919876543210';
    expect((await postJson(service, '/v1/verifications', { phone })).status).toBe(201);
    expect(gateway.received.at(-1)).toMatchObject({ to: phone, channel: 'sms' });
    expect(gateway.forged).toBe(before.forged);
    expect(twilio.requests).toBe(before.twilio);
    expect(vonage.received.length).toBe(before.vonage);
    const code = codeIn(gateway.received.at(-1)!.text);
    expect((await postJson(service, '/v1/verifications/check', { phone, code })).status).toBe(200);
  });

  it('answers a gateway 4xx SMS_007 and sends it nowhere else, though the route goes on to Vonage', async () => {
    const before = vonage.received.length;
    gateway.failNext(1, 422);
    const refused = await postJson(service, '/v1/verifications', { phone: '+4915112345678' });
    expect(refused).toMatchObject({ status: 422, body: { code: 'SMS_007' } });
    expect(vonage.received.length).toBe(before);
  });

  it('writes no Vonage or gateway secret, code or whole number to the log', () => {
    const logs = service.lines.filter((line) => !line.startsWith('[sms] '));
    const secrets = [VONAGE_SECRET, GATEWAY_SECRET, GATEWAY_SECRET.slice('whsec_'.length)];
    const codes = [...vonage.received, ...gateway.received].map((m) => codeIn(m.text));
    const numbers = ['4155550141', '9876543210', '15112345678', '4155550171'];
    const leaks = logs.filter(
      (line) =>
        secrets.some((s) => line.includes(s)) ||
        codes.some((c) => line.includes(c)) ||
        numbers.some((n) => line.includes(n)),
    );
    expect(leaks).toEqual([]);
    expect(logs.some((line) => line.includes('"provider":"vonage"'))).toBe(true);
  });
});
