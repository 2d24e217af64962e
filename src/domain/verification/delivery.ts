// Delivery statuses move one way: queued, then sent, then one final status.
import type { DeliveryStatus } from './verification-record.ts';

/** What a provider's callback says became of one message. */
export interface DeliveryReport {
  readonly messageId: string;
  readonly status: DeliveryStatus;
  readonly errorCode?: string | undefined;
}

const RANK: Record<DeliveryStatus, number> = { queued: 0, sent: 1, delivered: 2, undelivered: 2, failed: 2 };

const DELIVERY_STATUSES = Object.keys(RANK) as DeliveryStatus[];

/** The statuses from which a delivery may move to `to` (for a store's conditional update). */
export function statusesBefore(to: DeliveryStatus): DeliveryStatus[] {
  return DELIVERY_STATUSES.filter((from) => deliveryMayMove(from, to));
}

/** Whether a callback saying `to` may replace `from`; duplicates and reordered callbacks may not. */
export function deliveryMayMove(from: DeliveryStatus | null, to: DeliveryStatus): boolean {
  return from === null || RANK[to] > RANK[from];
}
