// Global setup of the unit project: no database server, so suites that would use one skip, saying so.
import type { TestProject } from 'vitest/node';

export default function setup(project: TestProject) {
  project.provide('mongo', {
    uri: null,
    kind: 'none',
    description: 'no server in the unit project (npm test runs the contract and e2e projects with one)',
    ferretDbBinary: null,
  });
}
