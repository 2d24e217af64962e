// `npm run start:workers`: the whole service in workerd (through Miniflare) on PORT, its stores on
// Durable Objects, with the same settings as `npm start` (the environment and .env). Runs on Node 22+.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Miniflare } from 'miniflare';
import { bundleWorker } from './workers-bundle.mjs';

if (existsSync('.env')) process.loadEnvFile('.env');
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
// Text settings, as a Worker's `vars`: every upper-case variable (the Worker reads only its settings).
const bindings = Object.fromEntries(Object.entries(process.env).filter(([name]) => /^[A-Z][A-Z0-9_]*$/.test(name)));
// Durable Objects persist, so the Worker requires CODE_SECRET; this local run (kept in memory unless
// WORKERS_PERSIST_DIR is set) gets a random one, as `npm start` does with its memory stores.
if (!bindings.CODE_SECRET) {
  bindings.CODE_SECRET = randomBytes(32).toString('hex');
  log(40, 'WARNING: no CODE_SECRET: a random one for this run; codes stop matching when it stops');
}

const mf = new Miniflare({
  modules: [{ type: 'ESModule', path: 'worker.js', contents: await bundleWorker() }],
  compatibilityDate: '2026-07-01',
  durableObjects: { STORE: { className: 'SmsVerifyStore', useSQLite: true } },
  bindings,
  // No request to Cloudflare for the `cf` object: the service runs with no outside request.
  cf: false,
  host,
  port,
  ...(process.env.WORKERS_PERSIST_DIR ? { durableObjectsPersist: process.env.WORKERS_PERSIST_DIR } : {}),
});
const url = await mf.ready;
// The first request builds the service, so its start-up warnings come before "listening", and a
// Worker that cannot start (bad settings) stops this process as `npm start` would.
const health = await fetch(new URL('/healthz', url));
await health.arrayBuffer();
if (health.status === 500) {
  process.stderr.write('sms-verify: the Worker cannot start: see the log lines above\n');
  await mf.dispose();
  process.exit(1);
}
log(30, 'listening', { runtime: 'workerd', port: Number(url.port), address: url.hostname });

// Miniflare's own signal handlers exit with 128 + the signal at once; this one stops workerd and
// exits 0, as `npm start` does after draining. (Its exit hook still stops workerd on any exit.)
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.removeAllListeners(signal);
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void mf.dispose().finally(() => process.exit(0));
  });
}

/** A line shaped like the Worker's own (and pino's on Node). */
function log(level, msg, fields = {}) {
  console.log(JSON.stringify({ level, time: new Date().toISOString(), service: 'sms-verify', ...fields, msg }));
}
