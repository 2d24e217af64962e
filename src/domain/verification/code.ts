// One-time codes: uniform random digits from a CSPRNG.
import { cryptoRandomBytes, type RandomBytes } from '../random.ts';

export const MIN_CODE_LENGTH = 4;
export const MAX_CODE_LENGTH = 10;

/** A code a person could have typed; every layer that takes a code checks it with this. */
export const CODE_PATTERN = new RegExp(`^[0-9]{${MIN_CODE_LENGTH},${MAX_CODE_LENGTH}}$`);
/** What a code that is not well formed is told. */
export const CODE_RULE = `must be ${MIN_CODE_LENGTH} to ${MAX_CODE_LENGTH} digits`;

/** A code a person could have typed: 4 to 10 digits. Anything else is a malformed request. */
export const isWellFormedCode = (code: string): boolean => CODE_PATTERN.test(code);

/**
 * Draws `length` decimal digits. Each byte is accepted only below 250 (25 x 10), so every digit
 * is exactly equally likely: taking a byte modulo 10 directly would favour 0 to 5.
 */
export function generateCode(length: number, random: RandomBytes = cryptoRandomBytes): string {
  if (!Number.isInteger(length) || length < MIN_CODE_LENGTH || length > MAX_CODE_LENGTH) {
    throw new RangeError(`code length must be ${MIN_CODE_LENGTH} to ${MAX_CODE_LENGTH}, got ${length}`);
  }
  let code = '';
  while (code.length < length) {
    for (const byte of random(length * 2)) {
      if (byte < 250) code += String(byte % 10);
      if (code.length === length) break;
    }
  }
  return code;
}
