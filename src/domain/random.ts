// The randomness source the domain draws from: Web Crypto by default, injectable for tests.

/** Fills and returns `n` random bytes. */
export type RandomBytes = (n: number) => Uint8Array;

export const cryptoRandomBytes: RandomBytes = (n) => crypto.getRandomValues(new Uint8Array(n));

/** A hex identifier with 128 bits of entropy. */
export function randomId(random: RandomBytes = cryptoRandomBytes): string {
  return Array.from(random(16), (b) => b.toString(16).padStart(2, '0')).join('');
}
