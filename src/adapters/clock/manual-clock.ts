// A clock that moves only when told: for tests of expiry, windows and lockouts without sleeping.
import type { Clock } from '../../ports/clock.ts';

export interface ManualClock extends Clock {
  /** Moves time forward by `seconds` (fractions allowed). */
  advance(seconds: number): void;
  set(at: Date): void;
}

export function createManualClock(start: Date = new Date('2026-01-01T00:00:00Z')): ManualClock {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance: (seconds) => {
      now += Math.round(seconds * 1000);
    },
    set: (at) => {
      now = at.getTime();
    },
  };
}
