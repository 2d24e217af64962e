// Bundles the Workers entry (src/workers.ts) into one ES module for workerd, in memory.
import { build } from 'esbuild';

/**
 * A descriptor loads its Node-only code (drivers, SDKs) through `import()` inside `build`, which
 * the Workers entry never calls for them: those imports stay out of the bundle, unresolved.
 */
const lazyStaysOut = {
  name: 'lazy-stays-out',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) =>
      args.kind === 'dynamic-import' && /adapters\/[a-z-]+\/descriptor\.ts$/.test(args.importer)
        ? { path: args.path, external: true }
        : undefined,
    );
  },
};

/** The bundled Worker's source: Web APIs only; `cloudflare:workers` is the runtime's own. */
export async function bundleWorker(entry = 'src/workers.ts') {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2023',
    mainFields: ['module', 'main'],
    conditions: ['workerd', 'worker', 'browser', 'import'],
    external: ['cloudflare:workers'],
    plugins: [lazyStaysOut],
    write: false,
    logLevel: 'warning',
  });
  return result.outputFiles[0].text;
}
