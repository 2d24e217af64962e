// hc<AppType>(): a typed client over the app's own route types, used for a whole flow.
import { hc } from 'hono/client';
import { describe, expect, it } from 'vitest';
import type { AppType } from '../../src/http/create-app.ts';
import { createHarness, PHONE } from '../support/harness.ts';

describe('typed client', () => {
  it('sends, checks and reads with types inferred from the routes', async () => {
    const h = await createHarness();
    const client = hc<AppType>('http://localhost', {
      fetch: (input: Parameters<typeof fetch>[0], init?: RequestInit) =>
        h.app.request(input instanceof Request ? input.url : input, init),
    });

    const sent = await client.v1.verifications.$post({ json: { phone: PHONE } });
    expect(sent.status).toBe(201);
    if (sent.status !== 201) return;
    const started = await sent.json();
    const remaining: number = started.sendsRemaining;
    expect(remaining).toBe(4);

    const checked = await client.v1.verifications.check.$post({
      json: { phone: PHONE, code: h.sender.lastCode(PHONE)! },
    });
    expect(checked.status).toBe(200);
    if (checked.status !== 200) return;
    const approved = await checked.json();
    const status: 'approved' = approved.status;
    expect(status).toBe('approved');

    const read = await client.v1.verifications[':phone'].$get({ param: { phone: PHONE } });
    expect(read.status).toBe(200);
    if (read.status !== 200) return;
    expect((await read.json()).verified).toBe(true);
  });
});
