// Turning a use case's error value into a response, logging what the client must not see.
import type { Context } from 'hono';
import type { DomainError } from '../domain/errors.ts';
import type { Logger } from '../ports/logger.ts';
import { problem } from './problem.ts';

/** Answers an expected failure; a store outage's cause goes to the log, once, never to the client. */
export function answerError(c: Context, error: DomainError, logger: Logger) {
  if (error.cause !== undefined) {
    const cause = error.cause instanceof Error ? error.cause.message : String(error.cause);
    logger.warn({ requestId: c.get('requestId'), error: error.name, cause }, 'request failed underneath');
  }
  return problem(c, error);
}
