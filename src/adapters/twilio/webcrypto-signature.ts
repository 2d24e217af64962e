// Twilio's X-Twilio-Signature, checked with Web Crypto (HMAC-SHA1): for runtimes without the SDK.
import { constantTimeEqual } from '../../domain/constant-time.ts';
import type { SignatureVerifier } from '../../ports/signature-verifier.ts';

const encoder = new TextEncoder();

/** Twilio's scheme: base64 HMAC-SHA1, keyed by the auth token, over the URL then each parameter name and value in name order. */
export async function twilioSignature(
  authToken: string,
  url: string,
  params: Readonly<Record<string, string>>,
): Promise<string> {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  const key = await crypto.subtle.importKey('raw', encoder.encode(authToken), { name: 'HMAC', hash: 'SHA-1' }, false, [
    'sign',
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(data)));
  return btoa(String.fromCharCode(...mac));
}

export function createWebCryptoTwilioVerifier(authToken: string): SignatureVerifier {
  return {
    async verify(signature, url, params) {
      const expected = encoder.encode(await twilioSignature(authToken, url, params));
      return constantTimeEqual(encoder.encode(signature), expected);
    },
  };
}
