import { describe, expect, it } from 'vitest';
import { generateCode, isWellFormedCode } from '../../src/domain/verification/code.ts';

/** A random source that hands out the given bytes in a cycle. */
const cycling = (bytes: number[]) => {
  let i = 0;
  return (n: number) => Uint8Array.from({ length: n }, () => bytes[i++ % bytes.length]!);
};

describe('generateCode', () => {
  it('gives digits only, of the asked length, for every allowed length', () => {
    for (let length = 4; length <= 10; length++) expect(generateCode(length)).toMatch(new RegExp(`^[0-9]{${length}}$`));
  });

  it('refuses lengths outside 4 to 10', () => {
    for (const length of [0, 3, 11, 6.5]) expect(() => generateCode(length)).toThrow(RangeError);
  });

  it('rejects bytes 250 to 255 instead of folding them onto 0 to 5 (no modulo bias)', () => {
    expect(generateCode(6, cycling([250, 251, 252, 253, 254, 255, 7]))).toBe('777777');
  });

  it('is exactly uniform over the accepted bytes', () => {
    const all = Array.from({ length: 256 }, (_, b) => b);
    const counts = new Array(10).fill(0);
    const code = generateCode(10, cycling(all));
    // One pass over all 256 bytes yields 250 digits, 25 of each; take them 10 at a time.
    const random = cycling(all);
    for (let i = 0; i < 25; i++) for (const d of generateCode(10, random)) counts[Number(d)]++;
    expect(code).toBe('0123456789');
    expect(counts).toEqual(new Array(10).fill(25));
  });

  it('draws from Web Crypto by default: 2000 codes are nearly all different', () => {
    const codes = new Set(Array.from({ length: 2000 }, () => generateCode(10)));
    expect(codes.size).toBeGreaterThan(1990);
  });
});

describe('isWellFormedCode', () => {
  it('accepts 4 to 10 ASCII digits only', () => {
    for (const ok of ['1234', '0000000000', '123456']) expect(isWellFormedCode(ok)).toBe(true);
    for (const bad of ['123', '12345678901', '12a456', ' 123456', '١٢٣٤٥٦', '', '12 34'])
      expect(isWellFormedCode(bad)).toBe(false);
  });
});
