// SIGTERM and SIGINT: stop accepting, finish requests in flight, close the stores, exit 0.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeService } from '../../src/compose.ts';
import { parseSettings } from '../../src/config/settings.ts';
import { silentLogger } from '../../src/http/logger.ts';
import { freePort } from '../support/free-port.ts';
import { startService } from '../support/service-process.ts';
import { DOUBLE_SID, DOUBLE_TOKEN, startTwilioDouble } from '../support/twilio-double.ts';

describe('graceful shutdown', () => {
  it('finishes a request in flight after SIGTERM, refuses new connections, then exits 0', async () => {
    const double = await startTwilioDouble();
    const service = await startService({
      TWILIO_ACCOUNT_SID: DOUBLE_SID,
      TWILIO_AUTH_TOKEN: DOUBLE_TOKEN,
      TWILIO_FROM: '+15005550006',
      TWILIO_API_BASE_URL: double.url,
    });
    try {
      double.stallNext(1, 1500);
      const inFlight = fetch(`${service.url}/v1/verifications`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ phone: '+14155552671' }),
      });
      for (let i = 0; i < 100 && double.requests === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(double.requests).toBe(1);
      const exited = service.stop('SIGTERM');
      await service.waitFor(/draining/);
      const refused = await fetch(`${service.url}/healthz`).then(
        () => 'answered',
        () => 'refused',
      );
      expect(refused).toBe('refused');
      const res = await inFlight;
      expect(res.status).toBe(201);
      expect(await exited).toBe(0);
      const order = service.lines
        .map((l) => (l.includes('"msg":"draining') ? 'draining' : l.includes('"msg":"stopped"') ? 'stopped' : null))
        .filter(Boolean);
      expect(order).toEqual(['draining', 'stopped']);
    } finally {
      await service.stop();
      await double.close();
    }
  });

  it('npm start, as the README runs it, stops the service on SIGTERM to npm: no node left listening', async () => {
    const port = await freePort();
    const npm = spawn('npm', ['start'], {
      cwd: resolve(import.meta.dirname, '../..'),
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((done) => npm.on('exit', (code) => done(code)));
    let output = '';
    const listening = new Promise<void>((done) =>
      npm.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('"msg":"listening"')) done();
      }),
    );
    await listening;
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    npm.kill('SIGTERM');
    expect(await exited).toBe(0);
    // npm exits with its child; the child must not outlive it, still listening.
    await new Promise((r) => setTimeout(r, 300));
    const after = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      () => 'answered',
      () => 'refused',
    );
    expect(after).toBe('refused');
    expect(output).toMatch(/"msg":"stopped"/);
  });

  it('exits 0 on SIGINT too', async () => {
    const service = await startService();
    expect(await service.stop('SIGINT')).toBe(0);
  });

  it('answers /readyz 503 as soon as draining starts', async () => {
    const loaded = parseSettings({});
    if (!loaded.ok) throw new Error(loaded.errors.join());
    const service = await composeService(loaded.settings, { logger: silentLogger, writeSms: () => undefined });
    expect((await service.app.request('http://localhost/readyz')).status).toBe(200);
    service.startDraining();
    expect((await service.app.request('http://localhost/readyz')).status).toBe(503);
    await service.close();
  });
});
