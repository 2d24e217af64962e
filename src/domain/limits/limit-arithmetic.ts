// The arithmetic of send limits, shared by every SendLimitStore so that they agree to the millisecond.
import type { LimitState, QuotaLimit, WindowLimit } from './send-limit.ts';

/**
 * State of a window limit given the times of its sends (ms), newest first. A send is admitted at
 * `now` exactly when `availableAt <= now`: the `limit`-th newest send has left the window and the
 * newest is at least `cooldownMs` old.
 */
export function windowState(limit: WindowLimit, sendsNewestFirst: readonly number[], now: number): LimitState {
  const inWindow = sendsNewestFirst.filter((at) => at > now - limit.windowMs);
  const newest = inWindow[0];
  const blocking = inWindow[limit.limit - 1];
  // With no cooldown a send is never held back by the newest one, even when another process
  // stamped it a few milliseconds after this request's `now`.
  const afterCooldown = newest === undefined || limit.cooldownMs === 0 ? now : newest + limit.cooldownMs;
  const afterWindow = blocking === undefined ? now : blocking + limit.windowMs;
  return {
    key: limit.key,
    remaining: Math.max(0, limit.limit - inWindow.length),
    availableAt: new Date(Math.max(now, afterCooldown, afterWindow)),
  };
}

export function quotaState(limit: QuotaLimit, count: number, now: number): LimitState {
  const full = count >= limit.limit;
  return {
    key: limit.key,
    remaining: Math.max(0, limit.limit - count),
    availableAt: new Date(full ? Math.max(now, limit.resetAt.getTime()) : now),
  };
}

export const admits = (state: LimitState, now: number): boolean => state.availableAt.getTime() <= now;

/** Whole seconds (at least 1) until every refusing limit in `states` admits again: the longest wait. */
export function retryAfterSeconds(states: readonly LimitState[], now: number): number {
  const waitMs = Math.max(...states.filter((s) => !admits(s, now)).map((s) => s.availableAt.getTime() - now));
  return Math.max(1, Math.ceil(waitMs / 1000));
}
