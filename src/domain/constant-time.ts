// Comparisons whose duration does not depend on where two secrets first differ.

/** True when both arrays hold the same bytes; takes the same time for any two arrays of a length. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

const encoder = new TextEncoder();

/**
 * Builds a comparison against `expected` that takes a time depending only on the length of what
 * is given (which the caller knows anyway), never on the content or the length of `expected`:
 * every given byte is compared with a byte of `expected`, wrapping around, and the lengths are
 * folded into the same difference. Synchronous and allocation-light: used for API keys on every
 * request.
 */
export function constantTimeMatcher(expected: string): (given: string) => boolean {
  const want = encoder.encode(expected);
  return (given) => {
    const got = encoder.encode(given);
    let diff = got.length ^ want.length;
    if (want.length === 0) return false;
    for (let i = 0; i < got.length; i++) diff |= got[i]! ^ want[i % want.length]!;
    return diff === 0;
  };
}
