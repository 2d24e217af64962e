// The CodeHasher port: the keyed hash a store keeps instead of a code.

export interface CodeHasher {
  /** HMAC-SHA-256 of phone and code under the current (first) secret, base64url. */
  hash(phone: string, code: string): Promise<string>;
  /** Whether `stored` is the hash of this phone and code under any configured secret, compared in constant time. */
  verify(phone: string, code: string, stored: string): Promise<boolean>;
  /**
   * HMAC-SHA-256 of `label`, NUL, `data` under the current secret: other keyed values (ids) under
   * a label that is never a phone, so they can never be taken for a code's hash.
   */
  mac(label: string, data: string): Promise<Uint8Array>;
  /**
   * The code encrypted (AES-256-GCM, the phone as associated data) under a key derived from the
   * current secret, so a resend can send the same code again; never the code in plain text.
   */
  seal(phone: string, code: string): Promise<string>;
  /** The code `sealed` holds for this phone, under any configured secret; null when none opens it. */
  open(phone: string, sealed: string): Promise<string | null>;
}
