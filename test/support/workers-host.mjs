// Runs a test Worker in workerd (Miniflare) on a loopback port and prints `{"url": …}` once ready;
// stops on SIGTERM. Needs Node 22+: run it through scripts/with-node.sh. Argument: the entry file.
import { Miniflare } from 'miniflare';
import { bundleWorker } from '../../scripts/workers-bundle.mjs';

const [entry, className = 'TestStore'] = process.argv.slice(2);
const mf = new Miniflare({
  modules: [{ type: 'ESModule', path: 'worker.js', contents: await bundleWorker(entry) }],
  compatibilityDate: '2026-07-01',
  durableObjects: { STORE: { className, useSQLite: true } },
  cf: false,
  host: '127.0.0.1',
  port: 0,
  // Set: the objects' storage is kept on disk there, so a second run sees what the first wrote.
  ...(process.env.WORKERS_PERSIST_DIR ? { durableObjectsPersist: process.env.WORKERS_PERSIST_DIR } : {}),
});
const url = await mf.ready;
console.log(JSON.stringify({ url: url.href }));
process.on('SIGTERM', () => void mf.dispose().finally(() => process.exit(0)));
