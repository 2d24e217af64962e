// An EventSink that writes each domain event as one log line.

import type { EventSink } from '../ports/events.ts';
import type { Logger } from '../ports/logger.ts';

const WARN = new Set([
  'provider_failed',
  'destination_refused',
  'rate_limited',
  'lockout',
  'refund_failed',
  'restore_failed',
  'fallback_dropped',
  'fraud_blocked',
  'fraud_count_failed',
]);

/** Logs events at info, or warn for those an operator may need to act on. */
export function createLogEventSink(logger: Logger): EventSink {
  return {
    emit(event) {
      const { type, ...fields } = event;
      (WARN.has(type) ? logger.warn : logger.info).call(
        logger,
        { event: type, ...fields },
        `verification ${type.replace(/_/g, ' ')}`,
      );
    },
  };
}
