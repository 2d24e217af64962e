// The EventOutbox port: lifecycle events waiting for the app's endpoint, claimed one at a time.

export interface OutboxEvent {
  /** `msg_` and 32 hex digits: the `webhook-id` of every delivery of this event. */
  readonly id: string;
  /** `verification.started`, `verification.approved`, … */
  readonly type: string;
  readonly timestamp: Date;
  readonly data: Readonly<Record<string, unknown>>;
  readonly serviceSid: string;
  /** Deliveries tried so far. */
  readonly attempts: number;
  /** When the next delivery is due (while claimed: when the claim lapses). */
  readonly nextAt: Date;
  readonly lastError: string | null;
  /** Set once it was given up (retried for 24 h): kept for the operator, then removed. */
  readonly failedAt: Date | null;
}

export interface ClaimedEvent {
  readonly event: OutboxEvent;
  /** Proves the claim: `delivered`, `retry` and `fail` change the event only while it holds. */
  readonly token: string;
}

/**
 * Exact across instances: of any number of concurrent claims of one event exactly one gets it, and
 * a claim lapses after `leaseMs` (an instance that died mid-delivery hands the event on).
 */
export interface EventOutbox {
  add(event: OutboxEvent): Promise<void>;
  /** Claims up to `limit` pending events due at `now`, oldest due first. */
  claim(now: Date, leaseMs: number, limit: number): Promise<ClaimedEvent[]>;
  /** The endpoint took it: the event goes. */
  delivered(id: string, token: string): Promise<boolean>;
  /** Not this time: another try at `nextAt`. */
  retry(id: string, token: string, nextAt: Date, error: string): Promise<boolean>;
  /** Given up: kept, failed, until `keepUntil`. */
  fail(id: string, token: string, error: string, now: Date, keepUntil: Date): Promise<boolean>;
  /** Events given up, newest first. */
  failed(limit: number): Promise<OutboxEvent[]>;
  /** A failed event pending again, due at `now`, its tries counted afresh; false when it is not failed. */
  redeliver(id: string, now: Date): Promise<boolean>;
  ping(): Promise<void>;
}
