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

/** A test limit's scope and subject from a key written `scope:subject` (any other key counts as a phone's). */
export function limitFields(key: string) {
  const colon = key.indexOf(':');
  const scope = colon > 0 ? key.slice(0, colon) : 'phone';
  const known = ['phone', 'guess', 'ip', 'prefix', 'budget'] as const;
  return {
    scope: (known as readonly string[]).includes(scope) ? (scope as (typeof known)[number]) : 'phone',
    subject: colon > 0 ? key.slice(colon + 1) : key,
    key,
  };
}
