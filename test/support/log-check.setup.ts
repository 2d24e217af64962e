// After each test file: nothing forbidden in any line its harnesses logged.
import { afterAll, expect } from 'vitest';
import { captured, violations } from './log-capture.ts';

afterAll(() => {
  expect(violations(), `forbidden text in ${captured.lines.length} captured log lines`).toEqual([]);
});
