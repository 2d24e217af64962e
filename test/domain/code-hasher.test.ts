import { describe, expect, it } from 'vitest';
import { createCodeHasher } from '../../src/adapters/web-crypto/code-hasher.ts';
import { constantTimeEqual, constantTimeMatcher } from '../../src/domain/constant-time.ts';

describe('code hasher', () => {
  it('never stores the code: the hash is a 256-bit MAC that does not contain it', async () => {
    const hasher = await createCodeHasher(['secret-one-0123456789']);
    const hash = await hasher.hash('+14155552671', '123456');
    expect(hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hash).not.toContain('123456');
  });

  it('verifies the right code for the right phone only', async () => {
    const hasher = await createCodeHasher(['secret-one-0123456789']);
    const hash = await hasher.hash('+14155552671', '123456');
    expect(await hasher.verify('+14155552671', '123456', hash)).toBe(true);
    expect(await hasher.verify('+14155552671', '123457', hash)).toBe(false);
    expect(await hasher.verify('+14155552672', '123456', hash)).toBe(false);
    expect(await hasher.verify('+14155552671', '123456', 'not-a-hash!')).toBe(false);
  });

  it('depends on the secret', async () => {
    const a = await createCodeHasher(['secret-one-0123456789']);
    const b = await createCodeHasher(['secret-two-0123456789']);
    expect(await b.verify('+14155552671', '123456', await a.hash('+14155552671', '123456'))).toBe(false);
  });

  it('rotates: a new first secret signs, the old one still verifies codes already sent', async () => {
    const old = await createCodeHasher(['secret-old-0123456789']);
    const pending = await old.hash('+14155552671', '123456');
    const rotated = await createCodeHasher(['secret-new-0123456789', 'secret-old-0123456789']);
    expect(await rotated.verify('+14155552671', '123456', pending)).toBe(true);
    const fresh = await rotated.hash('+14155552671', '654321');
    expect(await old.verify('+14155552671', '654321', fresh)).toBe(false);
    expect(await rotated.verify('+14155552671', '654321', fresh)).toBe(true);
  });

  it('refuses to run without a secret', async () => {
    await expect(createCodeHasher([])).rejects.toThrow();
    await expect(createCodeHasher([''])).rejects.toThrow();
  });
});

describe('constant-time comparison', () => {
  it('compares bytes and lengths', () => {
    expect(constantTimeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3))).toBe(true);
    expect(constantTimeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4))).toBe(false);
    expect(constantTimeEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 3))).toBe(false);
  });

  it('matches strings of any length, including ones that repeat the expected one', () => {
    const matches = constantTimeMatcher('key-abc');
    expect(matches('key-abc')).toBe(true);
    expect(matches('key-abd')).toBe(false);
    expect(matches('key')).toBe(false);
    expect(matches('key-abckey-abc')).toBe(false);
    expect(matches('')).toBe(false);
    expect(constantTimeMatcher('')('')).toBe(false);
    expect(constantTimeMatcher('ключ')('ключ')).toBe(true);
  });
});
