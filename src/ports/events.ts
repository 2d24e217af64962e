// The event port: where the use cases' events go (logs, metrics).
import type { VerificationEvent } from '../domain/events.ts';

export interface EventSink {
  emit(event: VerificationEvent): void;
}
