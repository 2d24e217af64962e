// Slow, truncated and idle connections are closed by the request, header and keep-alive timeouts.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServiceProcess, startService } from '../support/service-process.ts';

let service: ServiceProcess;
beforeAll(async () => {
  service = await startService({
    REQUEST_TIMEOUT_SECONDS: '2',
    HEADERS_TIMEOUT_SECONDS: '1',
    KEEP_ALIVE_TIMEOUT_SECONDS: '1',
  });
});
afterAll(async () => {
  await service.stop();
});

/** Writes `raw`, then reads until the server closes the connection (or `limitMs` passes). */
function exchange(raw: string, limitMs = 8000): Promise<{ reply: string; closedAfterMs: number | null }> {
  return new Promise((done, failed) => {
    const started = Date.now();
    const socket = connect(service.port, '127.0.0.1', () => socket.write(raw));
    let reply = '';
    const timer = setTimeout(() => {
      socket.destroy();
      done({ reply, closedAfterMs: null });
    }, limitMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      reply += chunk;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      done({ reply, closedAfterMs: Date.now() - started });
    });
    socket.on('error', failed);
  });
}

describe('connection timeouts (REQUEST_TIMEOUT_SECONDS, HEADERS_TIMEOUT_SECONDS, KEEP_ALIVE_TIMEOUT_SECONDS)', () => {
  it('answers 408 and closes a request whose body stops short of its Content-Length', async () => {
    const { reply, closedAfterMs } = await exchange(
      'POST /v1/verifications HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"phone":',
    );
    expect(closedAfterMs).not.toBeNull();
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
  });

  it('answers 408 and closes a connection whose headers never end', async () => {
    const { reply, closedAfterMs } = await exchange('POST /v1/verifications HTTP/1.1\r\nHost: x\r\n');
    expect(closedAfterMs).not.toBeNull();
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes an idle keep-alive connection after its answer', async () => {
    // Node's own default is 5 s: a close well before that is this setting's.
    const { reply, closedAfterMs } = await exchange(
      'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n',
      4000,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 200/);
    expect(reply).toMatch(/keep-alive/i);
    expect(closedAfterMs).not.toBeNull();
  });
});
