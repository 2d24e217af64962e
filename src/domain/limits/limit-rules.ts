// Which limits a send to a phone is charged against: per phone, per caller IP, per prefix, per day.

import { phonePrefix } from '../phone/phone.ts';
import type { VerificationPolicy } from '../policy.ts';
import { ipLimitKey } from './ip.ts';
import type { LimitScope, SendLimit } from './send-limit.ts';

const DAY_MS = 86_400_000;

/** The scope and subject of a limit, with the key a store files it under. */
export const limitOn = (scope: LimitScope, subject: string) => ({ scope, subject, key: `${scope}:${subject}` });

/** The limits of one send, the per-phone one first. */
export function sendLimits(policy: VerificationPolicy, phone: string, ip: string | undefined, now: Date): SendLimit[] {
  const limits: SendLimit[] = [
    {
      kind: 'window',
      ...limitOn('phone', phone),
      limit: policy.sendLimit,
      windowMs: policy.sendWindowSeconds * 1000,
      cooldownMs: policy.resendCooldownSeconds * 1000,
    },
    {
      kind: 'window',
      ...limitOn('prefix', phonePrefix(phone)),
      limit: policy.prefixSendLimit,
      windowMs: policy.prefixSendWindowSeconds * 1000,
      cooldownMs: 0,
    },
  ];
  const ipKey = ip === undefined ? null : ipLimitKey(ip, policy.ipV6PrefixLength);
  if (ipKey !== null) {
    limits.push({
      kind: 'window',
      ...limitOn('ip', ipKey),
      limit: policy.ipSendLimit,
      windowMs: policy.ipSendWindowSeconds * 1000,
      cooldownMs: 0,
    });
  }
  if (policy.dailySendBudget !== null) {
    const dayStart = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
    limits.push({
      kind: 'quota',
      ...limitOn('budget', new Date(dayStart).toISOString().slice(0, 10)),
      limit: policy.dailySendBudget,
      resetAt: new Date(dayStart + DAY_MS),
    });
  }
  return limits;
}

/** The metrics reason of a refusing limit: its scope, with the per-phone cooldown told apart. */
export function limitReason(limit: SendLimit, remaining: number): string {
  return limit.scope === 'phone' && remaining > 0 ? 'cooldown' : limit.scope;
}

/**
 * Wrong checks of one phone in a sliding window, across all its codes and services. A code's own
 * attempts reset with each new code, so without this a cycle of sends (or failed sends) and wrong
 * checks could guess without end; the window allows what a phone gets across its sends:
 * SEND_LIMIT x MAX_CHECK_ATTEMPTS per SEND_WINDOW_SECONDS (25 an hour by default, far inside
 * NIST SP 800-63B's 100). Test numbers, which have no send limit, are held to it the same way.
 */
export function guessLimit(policy: VerificationPolicy, phone: string): SendLimit {
  return {
    kind: 'window',
    ...limitOn('guess', phone),
    limit: policy.sendLimit * policy.maxCheckAttempts,
    windowMs: policy.sendWindowSeconds * 1000,
    cooldownMs: 0,
  };
}
