// Turning a use case's error value into a response, logging what the client must not see.
import type { Context } from 'hono';
import type { DomainError } from '../domain/errors.ts';
import type { Logger } from '../ports/logger.ts';
import { problem } from './problem.ts';

/** Answers an expected failure; a store outage's cause goes to the log, once, never to the client. */
export function answerError(c: Context, error: DomainError, logger: Logger) {
  logCause(c, error, logger);
  return problem(c, error);
}

/** Logs what went wrong underneath an expected failure (a store outage), which its answer leaves out. */
export function logCause(c: Context, error: DomainError, logger: Logger) {
  if (error.cause === undefined) return;
  const cause = error.cause instanceof Error ? error.cause.message : String(error.cause);
  logger.warn({ requestId: c.get('requestId'), error: error.name, cause }, 'request failed underneath');
}

/** Logs a bug with its request id; the answer says only to quote that id. */
export function logUnexpected(c: Context, error: Error, logger: Logger) {
  logger.error(
    { requestId: c.get('requestId'), error: { name: error.name, message: error.message, stack: error.stack } },
    'unexpected error',
  );
}
