// The Clock contract: a Date, never going backwards on its own.
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/ports/clock.ts';

export function clockContract(name: string, fresh: () => Clock) {
  describe(`Clock contract: ${name}`, () => {
    it('gives a valid Date each time, never earlier than the one before', () => {
      const clock = fresh();
      let previous = clock.now();
      expect(Number.isNaN(previous.getTime())).toBe(false);
      for (let i = 0; i < 100; i++) {
        const next = clock.now();
        expect(next.getTime()).toBeGreaterThanOrEqual(previous.getTime());
        previous = next;
      }
    });

    it('gives a fresh Date that callers may not use to move time', () => {
      const clock = fresh();
      const first = clock.now();
      first.setTime(0);
      expect(clock.now().getTime()).toBeGreaterThan(0);
    });
  });
}
