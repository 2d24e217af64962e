// Which limits a send to a phone is charged against: per phone, per caller IP, per prefix, per day.

import { phonePrefix } from './phone.ts';
import type { VerificationPolicy } from './policy.ts';
import type { SendLimit } from './send-limit.ts';

const DAY_MS = 86_400_000;

/** The limits of one send, the per-phone one first. */
export function sendLimits(policy: VerificationPolicy, phone: string, ip: string | undefined, now: Date): SendLimit[] {
  const limits: SendLimit[] = [
    {
      kind: 'window',
      key: `phone:${phone}`,
      limit: policy.sendLimit,
      windowMs: policy.sendWindowSeconds * 1000,
      cooldownMs: policy.resendCooldownSeconds * 1000,
    },
    {
      kind: 'window',
      key: `prefix:${phonePrefix(phone)}`,
      limit: policy.prefixSendLimit,
      windowMs: policy.prefixSendWindowSeconds * 1000,
      cooldownMs: 0,
    },
  ];
  if (ip !== undefined) {
    limits.push({
      kind: 'window',
      key: `ip:${ip}`,
      limit: policy.ipSendLimit,
      windowMs: policy.ipSendWindowSeconds * 1000,
      cooldownMs: 0,
    });
  }
  if (policy.dailySendBudget !== null) {
    const dayStart = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
    limits.push({
      kind: 'quota',
      key: `budget:${new Date(dayStart).toISOString().slice(0, 10)}`,
      limit: policy.dailySendBudget,
      resetAt: new Date(dayStart + DAY_MS),
    });
  }
  return limits;
}

/** The metrics reason of a refusing limit: its key's kind, with the per-phone cooldown told apart. */
export function limitReason(key: string, remaining: number): string {
  const kind = key.slice(0, key.indexOf(':'));
  return kind === 'phone' && remaining > 0 ? 'cooldown' : kind;
}
