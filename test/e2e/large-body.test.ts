// A body over 16 KiB is answered 413 SMS_012 and the client reads it, rather than a reset.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServiceProcess, startService } from '../support/service-process.ts';

let service: ServiceProcess;
beforeAll(async () => {
  service = await startService();
});
afterAll(async () => {
  await service.stop();
});

const MIB = 1024 * 1024;
const big = JSON.stringify({ phone: '+14155552671', pad: 'x'.repeat(MIB) });

async function send(body: string | ReadableStream<Uint8Array>, chunked: boolean) {
  try {
    const res = await fetch(`${service.url}/v1/verifications`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
      ...(chunked ? { duplex: 'half' } : {}),
    } as RequestInit);
    return `${res.status} ${((await res.json()) as { code?: string }).code}`;
  } catch (error) {
    return `failed: ${String((error as Error).cause ?? error)}`;
  }
}

const stream = () =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      const bytes = new TextEncoder().encode(big);
      for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.slice(i, i + 64 * 1024));
      controller.close();
    },
  });

describe('over-long bodies over a real connection', () => {
  it('answers 1 MiB with a Content-Length 413 SMS_012, 50 times of 50', async () => {
    const answers: string[] = [];
    for (let i = 0; i < 50; i++) answers.push(await send(big, false));
    expect(answers.filter((a) => a === '413 SMS_012')).toHaveLength(50);
  });

  it('answers 1 MiB sent chunked (no Content-Length) with 413 SMS_012 too', async () => {
    const answers: string[] = [];
    for (let i = 0; i < 10; i++) answers.push(await send(stream(), true));
    expect(answers).toEqual(Array(10).fill('413 SMS_012'));
  });

  it('still takes a body within the limit', async () => {
    expect(await send(JSON.stringify({ phone: '+14155552671' }), false)).toMatch(/^201 /);
  });
});
