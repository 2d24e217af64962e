// The README's walk-through, run as written with curl against `npm start`'s embedded default.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServiceProcess, startService } from '../support/service-process.ts';
import { runStep, WALKTHROUGH_STEPS } from '../support/walkthrough.ts';

const steps = WALKTHROUGH_STEPS;

describe('README walk-through against npm start', () => {
  let service: ServiceProcess;
  beforeAll(async () => {
    service = await startService();
  });
  afterAll(async () => {
    await service?.stop();
  });

  const run = (step: string) => runStep(step, service.url);

  it('has three steps, each a curl call', () => {
    expect(steps).toHaveLength(3);
    for (const step of steps) expect(step).toContain('curl -s');
  });

  it('warns loudly that nothing persists and nothing is sent', () => {
    const output = service.lines.join('\n');
    expect(output).toMatch(/WARNING: no MONGODB_URI: in-memory stores/);
    expect(output).toMatch(
      /WARNING: SMS_PROVIDER=console \(no provider settings\): the console sender prints every code/,
    );
  });

  it('sends, prints the SMS, checks the printed code and shows the phone verified', async () => {
    expect(run(steps[0]!)).toMatchObject({
      phone: '+14155552671',
      status: 'pending',
      sendsRemaining: 4,
      attemptsRemaining: 5,
    });
    const sms = await service.waitFor(/^\[sms\] to=\+14155552671 text=/);
    const code = /code is (\d{6})\./.exec(sms)![1]!;
    expect(run(steps[1]!.replace('CODE=CODE_FROM_THE_SMS_LINE', `CODE=${code}`))).toMatchObject({
      phone: '+14155552671',
      status: 'approved',
    });
    expect(run(steps[2]!)).toMatchObject({ phone: '+14155552671', status: 'approved', verified: true });
  });

  it('drains and exits 0 on SIGTERM', async () => {
    expect(await service.stop('SIGTERM')).toBe(0);
    expect(service.lines.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
  });
});

describe('start-up settings', () => {
  it('refuses to start with bad settings, listing every bad variable in one message', async () => {
    const error = await startService({ CODE_LENGTH: '3', SEND_LIMIT: 'many', NODE_ENV: 'production' }).catch(
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain('exited with 1');
    expect(message).toMatch(/CODE_LENGTH must be 4 to 10/);
    expect(message).toMatch(/SEND_LIMIT must be a whole number/);
    expect(message).toMatch(/API_KEYS is required when NODE_ENV=production/);
  });

  it('refuses to start with a bad SERVICES_FILE, listing every bad entry in the same message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smsv-services-'));
    const path = join(dir, 'services.json');
    writeFileSync(
      path,
      JSON.stringify({
        services: [
          { sid: 'VA1', codeLength: 30 },
          { sid: `VA${'c3'.repeat(16)}`, colour: 'red' },
        ],
      }),
    );
    const message = ((await startService({ SERVICES_FILE: path }).catch((e: Error) => e)) as Error).message;
    expect(message).toContain('exited with 1');
    expect(message).toContain('sms-verify: cannot start, fix these settings');
    expect(message).toMatch(/SERVICES_FILE services\[0\] \(VA1\) sid must be VA followed by 32 lowercase hex digits/);
    expect(message).toMatch(/SERVICES_FILE services\[0\] \(VA1\) codeLength must be 4 to 10/);
    expect(message).toMatch(/SERVICES_FILE services\[1\] \(VAc3c3\w+\) colour is not a known field/);
  });

  it("starts with services.example.json, warning of a service's test codes", async () => {
    const service = await startService({ SERVICES_FILE: 'services.example.json' });
    try {
      await service.waitFor(/WARNING: service VA0123456789abcdef0123456789abcdef has test codes: 1 number/);
      await service.waitFor(/SERVICES_FILE: 2 service\(s\)/);
    } finally {
      await service.stop();
    }
  });

  it('answers a port in use or an address it cannot bind with one line and exit code 1, no stack', async () => {
    const busy = await startService();
    try {
      const envs: Record<string, string>[] = [{ PORT: String(new URL(busy.url).port) }, { HOST: '999.1.1.1' }];
      for (const env of envs) {
        const message = ((await startService(env).catch((e: Error) => e)) as Error).message;
        expect(message).toContain('exited with 1');
        expect(message).toMatch(/sms-verify: cannot listen on \S+: /);
        expect(message).not.toMatch(/\n\s+at |Unhandled 'error' event/);
      }
    } finally {
      await busy.stop();
    }
  });

  it('refuses production without API keys and a code secret', async () => {
    const error = (await startService({ NODE_ENV: 'production' }).catch((e: Error) => e)) as Error;
    expect(error.message).toMatch(/API_KEYS is required when NODE_ENV=production/);
    expect(error.message).toMatch(/CODE_SECRET is required when NODE_ENV=production/);
  });
});
