// The node:crypto hasher must be interchangeable with the Web Crypto one, byte for byte.
import { describe, expect, it } from 'vitest';
import { createNodeCodeHasher } from '../../src/adapters/node-crypto/node-code-hasher.ts';
import { createCodeHasher } from '../../src/adapters/web-crypto/code-hasher.ts';

const SECRETS = ['secret-new-0123456789', 'secret-old-0123456789'];

describe('node:crypto code hasher', () => {
  it("produces the Web Crypto hasher's hashes, and each verifies the other's", async () => {
    const web = await createCodeHasher(SECRETS);
    const node = createNodeCodeHasher(SECRETS);
    for (const [phone, code] of [
      ['+14155552671', '123456'],
      ['+442079460018', '0000'],
      ['+33612345678', '9876543210'],
    ] as const) {
      const hash = await node.hash(phone, code);
      expect(hash).toBe(await web.hash(phone, code));
      expect(await web.verify(phone, code, hash)).toBe(true);
      expect(await node.verify(phone, code, await web.hash(phone, code))).toBe(true);
      expect(await node.verify(phone, `${code.slice(0, -1)}${(Number(code.at(-1)) + 1) % 10}`, hash)).toBe(false);
      expect(await node.verify('+14155550000', code, hash)).toBe(false);
    }
  });

  it('rotates like the Web Crypto hasher: old secrets verify, the first signs', async () => {
    const old = createNodeCodeHasher(['secret-old-0123456789']);
    const rotated = createNodeCodeHasher(SECRETS);
    expect(await rotated.verify('+14155552671', '123456', await old.hash('+14155552671', '123456'))).toBe(true);
    expect(await old.verify('+14155552671', '654321', await rotated.hash('+14155552671', '654321'))).toBe(false);
    expect(await rotated.verify('+14155552671', '123456', 'not base64!')).toBe(false);
    expect(() => createNodeCodeHasher([])).toThrow();
  });

  it('gives the same labelled MAC on both, the bytes a code hash of the label would have (so Verify v2 ids stay)', async () => {
    const web = await createCodeHasher(SECRETS);
    const node = createNodeCodeHasher(SECRETS);
    const mac = await node.mac('twilio-verify-sid', '+14155552671|1700000000000');
    expect(mac).toEqual(await web.mac('twilio-verify-sid', '+14155552671|1700000000000'));
    expect(Buffer.from(mac).toString('base64url')).toBe(
      await node.hash('twilio-verify-sid', '+14155552671|1700000000000'),
    );
    expect(mac).not.toEqual(await node.mac('another-label', '+14155552671|1700000000000'));
  });

  it('seals a code so that either hasher opens it for that phone alone, under any configured secret', async () => {
    const web = await createCodeHasher(SECRETS);
    const node = createNodeCodeHasher(SECRETS);
    const fromNode = await node.seal('+14155552671', '123456');
    const fromWeb = await web.seal('+14155552671', '123456');
    expect(fromNode).not.toContain('123456');
    expect(fromNode).not.toBe(await node.seal('+14155552671', '123456'));
    expect(await web.open('+14155552671', fromNode)).toBe('123456');
    expect(await node.open('+14155552671', fromWeb)).toBe('123456');
    // Another phone's seal, a tampered one or garbage opens to nothing.
    expect(await node.open('+14155552672', fromNode)).toBeNull();
    expect(await web.open('+14155552671', `${fromNode.slice(0, -2)}AA`)).toBeNull();
    expect(await web.open('+14155552671', 'not a seal')).toBeNull();
    // Rotation: a hasher whose first secret is new still opens what the old one sealed.
    const old = createNodeCodeHasher([SECRETS[1]!]);
    expect(await node.open('+14155552671', await old.seal('+14155552671', '654321'))).toBe('654321');
    expect(await old.open('+14155552671', fromNode)).toBeNull();
  });
});
