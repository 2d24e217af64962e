// What a send has done so far (limits charged, counted by the fraud guard, code saved), undone in one place.

/** The parts of a send that can be taken back, in the order they were made. */
export type ChargePart = 'limits' | 'count' | 'verification';

export interface SendCharges {
  /** Records how to take `part` back. */
  add(part: ChargePart, undo: () => Promise<void>): void;
  /** Takes back the parts named (every part when none is), newest first; each at most once. */
  undo(...parts: ChargePart[]): Promise<void>;
}

/**
 * A send charges its limits, then the fraud guard's count, then replaces the phone's verification;
 * whatever goes wrong after one of these undoes exactly what was done, newest first, so that a
 * send that did not happen leaves nothing behind (a refused destination keeps its limit charge).
 */
export function sendCharges(): SendCharges {
  const steps: [ChargePart, () => Promise<void>][] = [];
  return {
    add(part, undo) {
      steps.push([part, undo]);
    },
    async undo(...parts) {
      for (const [part, undo] of [...steps].reverse()) {
        if (parts.length > 0 && !parts.includes(part)) continue;
        steps.splice(
          steps.findIndex(([p]) => p === part),
          1,
        );
        await undo();
      }
    },
  };
}
