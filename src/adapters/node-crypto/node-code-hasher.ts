// CodeHasher on node:crypto: the same HMAC-SHA-256 as the Web Crypto one, computed synchronously.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CodeHasher } from '../../ports/code-hasher.ts';

/**
 * Identical hashes to `createCodeHasher` (so instances of either kind share codes), without Web
 * Crypto's trip to the thread pool, which is most of a send's time on Node (see npm run bench).
 */
export function createNodeCodeHasher(secrets: readonly string[]): CodeHasher {
  if (secrets.length === 0 || secrets.some((s) => s.length === 0)) {
    throw new Error('createNodeCodeHasher needs at least one non-empty secret');
  }
  const mac = (secret: string, phone: string, code: string) =>
    createHmac('sha256', secret).update(`${phone}\u0000${code}`).digest();
  // The same keys as the Web Crypto hasher's: HMAC(secret, label), so either opens the other's seals.
  const sealKeys = secrets.map((secret) =>
    createHmac('sha256', secret).update('sms-verify code sealing key v1').digest(),
  );
  return {
    async hash(phone, code) {
      return mac(secrets[0]!, phone, code).toString('base64url');
    },
    mac: async (label, data) => new Uint8Array(mac(secrets[0]!, label, data)),
    async seal(phone, code) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', sealKeys[0]!, iv);
      cipher.setAAD(Buffer.from(phone));
      const body = Buffer.concat([cipher.update(code, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return Buffer.concat([iv, body]).toString('base64url');
    },
    async open(phone, sealed) {
      const bytes = Buffer.from(sealed, 'base64url');
      if (bytes.length < 12 + 16) return null;
      for (const key of sealKeys) {
        try {
          const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
          decipher.setAAD(Buffer.from(phone));
          decipher.setAuthTag(bytes.subarray(bytes.length - 16));
          return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString(
            'utf8',
          );
        } catch {
          // Sealed under another secret, or not for this phone: the next key, then none.
        }
      }
      return null;
    },
    async verify(phone, code, stored) {
      const expected = Buffer.from(stored, 'base64url');
      let match = false;
      // Every secret is tried, even after a match, so timing does not reveal which one signed.
      for (const secret of secrets) {
        const actual = mac(secret, phone, code);
        match = (actual.length === expected.length && timingSafeEqual(actual, expected)) || match;
      }
      return match;
    },
  };
}
