// Vitest global setup: finds or starts the MongoDB server the adapter tests run against.
import type { TestProject } from 'vitest/node';
import { ferretDbBinary, startFerretDb } from './ferretdb.ts';

export interface MongoTarget {
  /** Connection string, or null when no server could be had. */
  readonly uri: string | null;
  /** mongodb (MONGODB_URI or testcontainers) or ferretdb. */
  readonly kind: 'mongodb' | 'ferretdb' | 'none';
  readonly description: string;
  /** Path of the FerretDB binary, for tests that start their own server. */
  readonly ferretDbBinary: string | null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    mongo: MongoTarget;
  }
}

/** In order: MONGODB_URI; testcontainers' mongo:7 when a container runtime answers; FerretDB; none. */
export default async function setup(project: TestProject) {
  const stops: (() => Promise<unknown>)[] = [];
  const ferret = ferretDbBinary();
  const binary = 'path' in ferret ? ferret.path : null;
  let target: MongoTarget;

  const given = process.env['MONGODB_URI'];
  if (given) {
    target = { uri: given, kind: 'mongodb', description: 'MongoDB from MONGODB_URI', ferretDbBinary: binary };
  } else {
    const container = await startMongoContainer();
    if (container) {
      stops.push(() => container.stop());
      target = {
        uri: container.uri,
        kind: 'mongodb',
        description: 'MongoDB 7 in a testcontainer',
        ferretDbBinary: binary,
      };
    } else if (binary) {
      const server = await startFerretDb(binary);
      stops.push(() => server.destroy());
      target = {
        uri: server.uri,
        kind: 'ferretdb',
        description: `FerretDB 1.24.2 (SQLite) at ${server.uri}`,
        ferretDbBinary: binary,
      };
    } else {
      const reason = 'reason' in ferret ? ferret.reason : 'unknown';
      target = {
        uri: null,
        kind: 'none',
        description: `no MongoDB: MONGODB_URI unset, no container runtime, ${reason}`,
        ferretDbBinary: null,
      };
    }
  }
  process.stdout.write(`\n[sms-verify tests] MongoDB adapter tests run against: ${target.description}\n`);
  project.provide('mongo', target);
  return async () => {
    for (const stop of stops) await stop().catch(() => undefined);
  };
}

async function startMongoContainer(): Promise<{ uri: string; stop(): Promise<unknown> } | null> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
  } catch {
    return null;
  }
  const { MongoDBContainer } = await import('@testcontainers/mongodb');
  const container = await new MongoDBContainer('mongo:7').start();
  return { uri: `${container.getConnectionString()}?directConnection=true`, stop: () => container.stop() };
}
