// Dependencies point inward, and the domain and http use Web APIs only: checked over every import.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

const imports: Import[] = files(SRC).flatMap((file) =>
  // `export … from` re-exports are dependencies too.
  [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gm)].map((m) => ({
    from: relative(SRC, file),
    to: m[2]!.startsWith('.') ? relative(SRC, resolve(file, '..', m[2]!)) : m[2]!,
    typeOnly: Boolean(m[1]),
  })),
);

const layer = (path: string) => path.split('/')[0]!;
const ours = (i: Import) =>
  !i.to.startsWith('node:') &&
  /^(domain|application|ports|adapters|http|config|logging|main|compose|service|index|node|workers|client)\b/.test(
    i.to,
  );
/** Packages that run on Node only. */
const NODE_ONLY = ['pino', 'mongodb', 'twilio', 'prom-client', '@hono/node-server'];
/** The package entries and the Node entry: the only files that may import the composition root. */
const ENTRIES = ['main.ts', 'index.ts', 'node.ts', 'workers.ts', 'client.ts'];

describe('architecture', () => {
  it('finds the imports it checks', () => {
    expect(imports.length).toBeGreaterThan(40);
  });

  it('the model (domain) imports nothing of ours outside itself', () => {
    expect(imports.filter((i) => layer(i.from) === 'domain' && ours(i) && layer(i.to) !== 'domain')).toEqual([]);
  });

  it('the application layer imports only the model, ports and itself', () => {
    const bad = imports.filter(
      (i) => layer(i.from) === 'application' && ours(i) && !['application', 'domain', 'ports'].includes(layer(i.to)),
    );
    expect(bad).toEqual([]);
  });

  it('ports import nothing at run time, and only ports and domain types', () => {
    const bad = imports.filter(
      (i) => layer(i.from) === 'ports' && (!i.typeOnly || (ours(i) && !['ports', 'domain'].includes(layer(i.to)))),
    );
    expect(bad).toEqual([]);
  });

  it('no backend imports another: an adapter folder imports its own files and the shared helpers only', () => {
    // keyed-stores: the store rules over a keyed table, which memory (Maps) and Durable Objects (storage) fill.
    const SHARED = ['retry', 'settings', 'keyed-stores'];
    const backend = (path: string) => path.split('/')[1]!;
    const bad = imports.filter(
      (i) =>
        layer(i.from) === 'adapters' &&
        layer(i.to) === 'adapters' &&
        backend(i.to) !== backend(i.from) &&
        !SHARED.includes(backend(i.to)),
    );
    expect(bad).toEqual([]);
  });

  it('config reads adapters only through their descriptors and settings, and imports no http', () => {
    const bad = imports.filter(
      (i) =>
        layer(i.from) === 'config' &&
        ours(i) &&
        !['config', 'domain', 'ports'].includes(layer(i.to)) &&
        !/^adapters\/[a-z-]+\/descriptor\.ts$/.test(i.to) &&
        !i.to.startsWith('adapters/settings/'),
    );
    expect(bad).toEqual([]);
    // The registry loads Node-only code (drivers, SDKs) only inside `build`, so config stays Web-only.
    expect(imports.filter((i) => layer(i.from) === 'config' && NODE_ONLY.includes(i.to))).toEqual([]);
  });

  it('logging imports only ports, as types', () => {
    const bad = imports.filter(
      (i) => layer(i.from) === 'logging' && ours(i) && !(layer(i.to) === 'ports' && i.typeOnly),
    );
    expect(bad).toEqual([]);
  });

  it('a descriptor loads its Node-only modules lazily, so any runtime can read the registry', () => {
    const descriptors = imports.filter((i) => /^adapters\/[a-z-]+\/descriptor\.ts$/.test(i.from));
    expect(descriptors.length).toBeGreaterThan(4);
    const bad = descriptors.filter(
      (i) =>
        NODE_ONLY.includes(i.to) ||
        i.to.startsWith('node:') ||
        /mongo-stores|twilio-sdk-sender|sdk-signature/.test(i.to),
    );
    expect(bad).toEqual([]);
  });

  it('adapters import only the model, ports and themselves; http the application layer too', () => {
    // The one exception: a backend that implements only the LimitLedger port is made a
    // SendLimitStore by the limit engine, the application's rule for admitting a send, over its
    // quotas split into shards where one key would be hot.
    const ENGINE = ['application/limit-engine.ts', 'application/sharded-quotas.ts'];
    const fromAdapters = imports.filter(
      (i) =>
        layer(i.from) === 'adapters' &&
        ours(i) &&
        !['adapters', 'domain', 'ports'].includes(layer(i.to)) &&
        !ENGINE.includes(i.to),
    );
    expect(fromAdapters).toEqual([]);
    const fromHttp = imports.filter(
      (i) => layer(i.from) === 'http' && ours(i) && !['http', 'application', 'domain', 'ports'].includes(layer(i.to)),
    );
    expect(fromHttp).toEqual([]);
  });

  it('only entry files import the compositions, and nothing imports an entry file', () => {
    expect(imports.filter((i) => i.to === 'service.ts' && ![...ENTRIES, 'compose.ts'].includes(i.from))).toEqual([]);
    expect(imports.filter((i) => i.to === 'compose.ts' && !ENTRIES.includes(i.from))).toEqual([]);
    expect(imports.filter((i) => ENTRIES.includes(i.to))).toEqual([]);
  });

  it('keeps the runtime-neutral compositions and the Workers entry free of Node APIs and Node-only adapters', () => {
    const NEUTRAL = ['service.ts', 'compose-providers.ts', 'workers.ts'];
    const fromService = imports.filter((i) => NEUTRAL.includes(i.from));
    expect(fromService.length).toBeGreaterThan(20);
    const bad = fromService.filter(
      (i) =>
        i.to.startsWith('node:') ||
        NODE_ONLY.includes(i.to) ||
        /^(compose\.ts|adapters\/(mongodb|prometheus|node-crypto)|adapters\/twilio\/(twilio-sdk-sender|sdk-signature))/.test(
          i.to,
        ),
    );
    expect(bad).toEqual([]);
    for (const file of NEUTRAL)
      expect(/\b(process\.|Buffer\.|require\()/.test(readFileSync(join(SRC, file), 'utf8')), file).toBe(false);
  });

  it('keeps the model grouped by subject: no loose files but the shared few', () => {
    const loose = readdirSync(join(SRC, 'domain'), { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort();
    expect(loose).toEqual(['constant-time.ts', 'errors.ts', 'events.ts', 'policy.ts', 'random.ts', 'store-outage.ts']);
  });

  it('keeps providers out of domain, ports and http: a provider is its adapter folder and the composition', () => {
    // http/verify-v2 answers Twilio Verify's API, which it is named for; it sends through the
    // MessageSender port like /v1, never through the Twilio provider (no http file imports an adapter).
    const named = files(SRC)
      .filter((f) => ['domain', 'application', 'ports', 'http'].includes(layer(relative(SRC, f))))
      .filter((f) => !relative(SRC, f).startsWith('http/verify-v2/'))
      .filter((f) => /twilio/i.test(readFileSync(f, 'utf8').replace(/\/\*\*[\s\S]*?\*\/|\/\/.*$/gm, '')));
    expect(named).toEqual([]);
  });

  it('keeps the client entry to hono/client and route types', () => {
    const fromClient = imports.filter((i) => i.from === 'client.ts');
    expect(fromClient.filter((i) => !i.typeOnly).map((i) => i.to)).toEqual(['hono/client']);
    expect(fromClient.filter((i) => i.typeOnly).map((i) => i.to)).toEqual(['http/create-app.ts']);
  });

  it('keeps the Web-APIs-only package entry free of Node-only adapters', () => {
    const nodeOnly = imports.filter(
      (i) =>
        i.from === 'index.ts' &&
        /^(adapters\/(mongodb|prometheus)|adapters\/twilio\/(twilio-sdk-sender|sdk-signature)|compose|config)/.test(
          i.to,
        ),
    );
    expect(nodeOnly).toEqual([]);
    expect(imports.filter((i) => i.from === 'index.ts').length).toBeGreaterThan(20);
  });

  it('domain, ports and http use no Node API, so they run on Deno, Bun and edge runtimes', () => {
    const bad = imports.filter(
      (i) =>
        ['domain', 'application', 'ports', 'http'].includes(layer(i.from)) &&
        (i.to.startsWith('node:') || NODE_ONLY.includes(i.to)),
    );
    expect(bad).toEqual([]);
    const globals = files(SRC)
      .filter((f) => ['domain', 'application', 'ports', 'http'].includes(layer(relative(SRC, f))))
      .filter((f) => /\b(process\.|Buffer\.|require\()/.test(readFileSync(f, 'utf8')));
    expect(globals).toEqual([]);
  });
});
