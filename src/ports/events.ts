// The event port: where the use cases' events go (logs, metrics).
import type { VerificationEvent } from '../domain/events.ts';

/**
 * The whole number and the verification's creation time, for sinks that keep records keyed by
 * them (attempts: Twilio-shaped verification ids are derived from both). Never for logs.
 */
export interface EventSubject {
  readonly phone: string;
  readonly createdAt: Date;
}

export interface EventSink {
  emit(event: VerificationEvent, subject?: EventSubject): void;
}
