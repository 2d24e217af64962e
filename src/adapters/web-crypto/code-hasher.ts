// The CodeHasher on Web Crypto: keyed hashes of codes, what the store keeps instead of the code itself.

import { constantTimeEqual } from '../../domain/constant-time.ts';
import type { CodeHasher } from '../../ports/code-hasher.ts';

const encoder = new TextEncoder();
/** What the sealing key is derived from each secret with (see `seal`). */
const SEAL_LABEL = 'sms-verify code sealing key v1';

/**
 * Builds a hasher from one or more secrets. The first signs new codes; every one verifies, so a
 * secret can be rotated without invalidating codes already sent. The phone is part of the MAC so
 * that a stored hash is worthless for any other number.
 */
export async function createCodeHasher(secrets: readonly string[]): Promise<CodeHasher> {
  if (secrets.length === 0 || secrets.some((s) => s.length === 0)) {
    throw new Error('createCodeHasher needs at least one non-empty secret');
  }
  const keys = await Promise.all(
    secrets.map((secret) =>
      crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']),
    ),
  );
  const mac = async (key: (typeof keys)[number], phone: string, code: string) =>
    new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(`${phone}\u0000${code}`)));
  // One AES-GCM key per secret: HMAC(secret, SEAL_LABEL), so it is never the MAC key itself.
  const sealKeys = await Promise.all(
    keys.map(async (key) =>
      crypto.subtle.importKey(
        'raw',
        await crypto.subtle.sign('HMAC', key, encoder.encode(SEAL_LABEL)),
        'AES-GCM',
        false,
        ['encrypt', 'decrypt'],
      ),
    ),
  );

  return {
    async hash(phone, code) {
      return toBase64Url(await mac(keys[0]!, phone, code));
    },
    mac: (label, data) => mac(keys[0]!, label, data),
    async seal(phone, code) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const sealed = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: encoder.encode(phone) },
        sealKeys[0]!,
        encoder.encode(code),
      );
      return toBase64Url(Uint8Array.from([...iv, ...new Uint8Array(sealed)]));
    },
    async open(phone, sealed) {
      const bytes = fromBase64Url(sealed);
      if (bytes.length < 12 + 16) return null;
      for (const key of sealKeys) {
        try {
          const plain = await crypto.subtle.decrypt(
            { name: 'AES-GCM', iv: bytes.slice(0, 12), additionalData: encoder.encode(phone) },
            key,
            bytes.slice(12),
          );
          return new TextDecoder().decode(plain);
        } catch {
          // Sealed under another secret, or not for this phone: the next key, then none.
        }
      }
      return null;
    },
    async verify(phone, code, stored) {
      const expected = fromBase64Url(stored);
      let match = false;
      // Every key is tried, even after a match, so timing does not reveal which key signed.
      for (const key of keys) match = constantTimeEqual(await mac(key, phone, code), expected) || match;
      return match;
    },
  };
}

function toBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
  } catch {
    return new Uint8Array(0);
  }
}
