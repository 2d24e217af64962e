// Use case: a provider reports what became of a message.

import { ok, type Result } from '../domain/errors.ts';
import type { DeliveryReport } from '../domain/verification/delivery.ts';
import type { VerifierDeps } from './verifier-deps.ts';

/**
 * Records the status on the verification that sent the message. Duplicates, late callbacks for
 * earlier statuses and callbacks for replaced messages change nothing: the store moves a status
 * forward only. Answers whether anything changed.
 */
export async function recordDelivery(
  deps: VerifierDeps,
  report: DeliveryReport,
): Promise<Result<{ changed: boolean }, never>> {
  const delivery = {
    status: report.status,
    updatedAt: deps.clock.now(),
    ...(report.errorCode ? { errorCode: report.errorCode } : {}),
  };
  const changed = await deps.codes.recordDelivery(report.messageId, delivery);
  if (changed) deps.events?.emit({ type: 'delivery', deliveryStatus: report.status, messageId: report.messageId });
  return ok({ changed });
}
