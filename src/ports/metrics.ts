// The Metrics port: what the service counts and times, kept apart from any metrics library.
import type { VerificationEvent } from '../domain/events.ts';

export interface Metrics {
  /** Counts one domain event (sends, checks, rate limits, provider errors, deliveries). */
  event(event: VerificationEvent): void;
  /** Times one HTTP request by route pattern, method and status. */
  request(route: string, method: string, status: number, seconds: number): void;
  /** The exposition, e.g. Prometheus text, with its content type. */
  render(): Promise<{ contentType: string; body: string }>;
  /** Reads each provider's circuit (closed, half_open, open) whenever the metrics are rendered. */
  watchCircuits?(read: () => Readonly<Record<string, string>>): void;
  /**
   * Counts records given up: `record` (an attempt or an outgoing event, when the queue of records
   * waiting to be written was full) or `webhook` (an event retried for 24 h without a 2xx).
   */
  dropped?(what: 'record' | 'webhook'): void;
}
