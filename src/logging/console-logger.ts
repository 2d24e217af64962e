// A Logger over `console`, for runtimes without a stream to write to (Workers): one JSON line each.
import type { Logger } from '../ports/logger.ts';

const LEVELS = { info: 30, warn: 40, error: 50 } as const;

/**
 * Lines shaped like the Node entry's (pino's `level`, `time`, `msg`), so the same log queries work.
 * Callers never pass codes, secrets or whole numbers, as on Node; there is no redaction here to lean on.
 */
export function createConsoleLogger(base: Readonly<Record<string, unknown>> = { service: 'sms-verify' }): Logger {
  const line = (level: keyof typeof LEVELS) => (fields: Record<string, unknown>, msg: string) =>
    console.log(JSON.stringify({ level: LEVELS[level], time: new Date().toISOString(), ...base, ...fields, msg }));
  return { info: line('info'), warn: line('warn'), error: line('error') };
}
