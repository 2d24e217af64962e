// CodeHasher on node:crypto: the same HMAC-SHA-256 as the Web Crypto one, computed synchronously.
import { createHmac, timingSafeEqual } from 'node:crypto';
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
  return {
    async hash(phone, code) {
      return mac(secrets[0]!, phone, code).toString('base64url');
    },
    mac: async (label, data) => new Uint8Array(mac(secrets[0]!, label, data)),
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
