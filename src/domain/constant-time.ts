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
 * Compares two strings of any lengths in constant time by comparing their SHA-256 digests, so
 * neither the content nor the length of the expected value leaks (used for API keys).
 */
export async function constantTimeStringEqual(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(given)),
    crypto.subtle.digest('SHA-256', encoder.encode(expected)),
  ]);
  return constantTimeEqual(new Uint8Array(a), new Uint8Array(b));
}
