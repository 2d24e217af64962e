import { defineConfig } from 'vitest/config';

/** Files that need a server: a MongoDB-compatible one (the global setup finds or starts one), or workerd. */
const CONTRACT = [
  'test/adapters/mongodb.test.ts',
  'test/adapters/durable-objects.test.ts',
  'test/domain/fraud-guard.test.ts',
  'test/e2e/services.test.ts',
];

const shared = {
  setupFiles: ['test/support/log-check.setup.ts'],
  testTimeout: 20_000,
  hookTimeout: 60_000,
};

// Three projects: `unit` (the model, the use cases, HTTP through app.request(), in-process
// adapters; no server, seconds), `contract` (the store adapters against a real server) and `e2e`
// (the service as a process). `npm test` runs all three; `npm run test:unit` the first.
export default defineConfig({
  test: {
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...CONTRACT, 'test/e2e/**'],
          globalSetup: ['test/support/no-server.setup.ts'],
        },
      },
      {
        test: { ...shared, name: 'contract', include: CONTRACT, globalSetup: ['test/support/global-setup.ts'] },
      },
      {
        test: {
          ...shared,
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: CONTRACT,
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
    ],
  },
});
