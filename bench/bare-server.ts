// The ceiling for npm run bench: a bare Hono JSON POST route on the same Node adapter as the service.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.post('/bare', async (c) => {
  const body = await c.req.json<{ phone?: string }>();
  return c.json({ phone: body.phone ?? null, status: 'ok' }, 201);
});
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`${JSON.stringify({ msg: 'listening', port: info.port })}\n`);
});
