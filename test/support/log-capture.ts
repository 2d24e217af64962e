// Every log line the harnesses write, with what must never appear in them.
import pino from 'pino';
import { LOG_REDACT_PATHS } from '../../src/logging/redact-paths.ts';
import type { Logger } from '../../src/ports/logger.ts';

export const captured = {
  lines: [] as string[],
  /** Codes that were sent, phones that were sent to, secrets in use. */
  forbidden: { codes: new Set<string>(), phones: new Set<string>(), secrets: new Set<string>() },
};

/** The production logger's configuration, writing into `captured.lines`. */
export function capturingLogger(): Logger {
  return pino(
    { level: 'trace', redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } },
    { write: (line: string) => void captured.lines.push(line) },
  );
}

/**
 * The forbidden strings found in the captured lines. Codes match only as whole tokens not led by
 * `+`: a random code may equal a logged calling-code prefix (`+141555`), which is not a leak.
 */
export function violations(): string[] {
  const text = captured.lines.join('\n');
  const found: string[] = [];
  for (const code of captured.forbidden.codes)
    if (new RegExp(`(?<![0-9A-Za-z+])${code}(?![0-9A-Za-z])`).test(text)) found.push(`code ${code}`);
  for (const phone of captured.forbidden.phones) if (text.includes(phone.slice(1))) found.push(`phone ${phone}`);
  for (const secret of captured.forbidden.secrets) if (text.includes(secret)) found.push('a secret');
  return found;
}
