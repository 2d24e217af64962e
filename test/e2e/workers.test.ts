// The service in workerd (npm run start:workers): the README walk-through, the console sender's
// lines, start-up refusals, and a fallback step sent by the scheduler object's alarm.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, type ServiceProcess, startService } from '../support/service-process.ts';
import { runStep, WALKTHROUGH_STEPS } from '../support/walkthrough.ts';

const workers = { runtime: 'workers' } as const;

describe('README walk-through against npm run start:workers', () => {
  let service: ServiceProcess;
  beforeAll(async () => {
    service = await startService({}, workers);
  }, 180_000);
  afterAll(async () => {
    await service?.stop();
  });

  it('warns loudly that the console sender prints codes, and says it runs in workerd', () => {
    const output = service.lines.join('\n');
    expect(output).toMatch(
      /WARNING: SMS_PROVIDER=console \(no provider settings\): the console sender prints every code/,
    );
    expect(output).toMatch(/"runtime":"workerd".*"msg":"listening"/);
  });

  it('sends, prints the SMS, checks the printed code and shows the phone verified', async () => {
    const [send, check, status] = WALKTHROUGH_STEPS;
    expect(runStep(send!, service.url)).toMatchObject({
      phone: '+14155552671',
      status: 'pending',
      sendsRemaining: 4,
      attemptsRemaining: 5,
    });
    const sms = await service.waitFor(/^\[sms\] to=\+14155552671 text=/);
    const code = /code is (\d{6})\./.exec(sms)![1]!;
    expect(runStep(check!.replace('CODE=CODE_FROM_THE_SMS_LINE', `CODE=${code}`), service.url)).toMatchObject({
      phone: '+14155552671',
      status: 'approved',
    });
    expect(runStep(status!, service.url)).toMatchObject({ phone: '+14155552671', status: 'approved', verified: true });
  });

  it('keeps the send limits in the Durable Objects: a second send at once waits for the cooldown', async () => {
    const phone = '+14155552672';
    expect((await postJson(service, '/v1/verifications', { phone })).status).toBe(201);
    const again = await postJson(service, '/v1/verifications', { phone });
    expect(again.status).toBe(429);
    expect(again.body).toMatchObject({ code: 'SMS_002' });
  });

  it('records attempts and keeps the safe list in Durable Objects, for the operator API', async () => {
    await expect
      .poll(
        async () =>
          ((await (await fetch(`${service.url}/v1/attempts`)).json()) as { attempts: unknown[] }).attempts.length,
      )
      .toBeGreaterThanOrEqual(2);
    const page = (await (await fetch(`${service.url}/v1/attempts?country=US`)).json()) as {
      attempts: { phoneTail: string; verificationSid: string; converted: boolean }[];
    };
    expect(page.attempts.map((a) => a.phoneTail)).toContain('…2671');
    expect(page.attempts.find((a) => a.phoneTail === '…2671')).toMatchObject({ converted: true });
    const added = await postJson(service, '/v1/safe-list', { phoneNumber: '+447400*' });
    expect(added.status).toBe(201);
    const list = (await (await fetch(`${service.url}/v1/safe-list`)).json()) as { entries: { phoneNumber: string }[] };
    expect(list.entries.map((e) => e.phoneNumber)).toEqual(['+447400*']);
  });

  it('stops with exit code 0 on SIGTERM', async () => {
    expect(await service.stop('SIGTERM')).toBe(0);
  });
});

describe('npm run start:workers settings', () => {
  it('refuses bad settings with every bad variable listed and exit code 1', async () => {
    const error = (await startService({ CODE_LENGTH: '3', SEND_LIMIT: 'many' }, workers).catch(
      (e: Error) => e,
    )) as Error;
    expect(error.message).toContain('exited with 1');
    expect(error.message).toMatch(/CODE_LENGTH must be 4 to 10/);
    expect(error.message).toMatch(/SEND_LIMIT must be a whole number/);
  }, 180_000);

  it('sends the next step of a fallback workflow from the scheduler alarm, with the same code', async () => {
    const service = await startService(
      { FALLBACK_WORKFLOW: 'sms:1,sms', FALLBACK_POLL_SECONDS: '1', RESEND_COOLDOWN_SECONDS: '0' },
      workers,
    );
    try {
      const phone = '+14155552673';
      expect((await postJson(service, '/v1/verifications', { phone })).status).toBe(201);
      const first = await service.waitFor(/^\[sms\] to=\+14155552673 /);
      // No request comes in meanwhile: only the alarm can send the second message.
      const lines = () => service.lines.filter((l) => l.startsWith('[sms] to=+14155552673 '));
      await expect.poll(() => lines().length, { timeout: 15_000, interval: 200 }).toBe(2);
      expect(lines()[1]).toBe(first);
      const status = await fetch(`${service.url}/v1/verifications/${encodeURIComponent(phone)}`);
      const body = (await status.json()) as { sendAttempts: unknown[] };
      expect(body.sendAttempts).toHaveLength(2);
    } finally {
      await service.stop();
    }
  }, 180_000);
});
