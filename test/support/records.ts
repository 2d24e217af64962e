// Builders for store records in contract tests.
import type { VerificationRecord } from '../../src/domain/verification/verification-record.ts';

export const T0 = new Date('2026-03-01T12:00:00.000Z');
export const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

let counter = 0;

/** A pending record sent at T0, expiring at +600 s, purged at +1200 s. */
export function aRecord(overrides: Partial<VerificationRecord> = {}): VerificationRecord {
  counter += 1;
  return {
    phone: '+14155552671',
    id: `send-${counter}-${Math.random().toString(16).slice(2)}`,
    codeHash: `hash-${counter}`,
    createdAt: T0,
    expiresAt: at(600),
    attempts: 0,
    verified: false,
    verifiedAt: null,
    purgeAt: at(1200),
    delivery: null,
    messageId: null,
    ...overrides,
  };
}
