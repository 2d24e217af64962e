// Twilio-shaped verification ids (VE + 32 hex) that need no storage: the id carries its phone,
// masked, and a tag that binds it to one send.

import type { CodeHasher } from '../../ports/code-hasher.ts';

/** A keyed MAC the codec draws on. */
export type Mac = (data: string) => Promise<Uint8Array>;

export interface VerificationSids {
  /** The id of the send to `phone` created at `createdAt`. */
  sidFor(phone: string, createdAt: Date): Promise<string>;
  /** The phone a well-formed id names, or null; `matches` then says whether it is that send's id. */
  phoneOf(sid: string): Promise<string | null>;
  matches(sid: string, phone: string, createdAt: Date): Promise<boolean>;
}

const SID = /^VE[0-9a-f]{32}$/;

/**
 * The first 8 bytes are a MAC of the phone and the send's creation time, the last 8 the phone's
 * digits (packed two to a byte) masked by a MAC of those first 8. So the id is opaque without the
 * secret (a VE id in a client's log holds no number), a guessed id names no send, and a new send
 * to the same phone gets a new id, as on Twilio. A rotated CODE_SECRET changes the ids.
 */
function createVerificationSids(mac: Mac): VerificationSids {
  const tagOf = async (phone: string, createdAt: Date) =>
    (await mac(`VE\u0000${phone}\u0000${createdAt.getTime()}`)).slice(0, 8);
  const maskOf = async (tag: Uint8Array) => (await mac(`VE-mask\u0000${hex(tag)}`)).slice(0, 8);
  return {
    async sidFor(phone, createdAt) {
      const tag = await tagOf(phone, createdAt);
      const mask = await maskOf(tag);
      const packed = packDigits(phone.slice(1));
      return `VE${hex(tag)}${hex(packed.map((b, i) => b ^ mask[i]!))}`;
    },
    async phoneOf(sid) {
      if (!SID.test(sid)) return null;
      const bytes = fromHex(sid.slice(2));
      const mask = await maskOf(bytes.slice(0, 8));
      const digits = unpackDigits(bytes.slice(8).map((b, i) => b ^ mask[i]!));
      return digits === null ? null : `+${digits}`;
    },
    async matches(sid, phone, createdAt) {
      return SID.test(sid) && sid.slice(2, 18) === hex(await tagOf(phone, createdAt));
    },
  };
}

/** Ids keyed by the service's CODE_SECRET through its hasher, under a label no phone is hashed with. */
export const verificationSidsFrom = (hasher: CodeHasher) =>
  createVerificationSids((data) => hasher.mac('twilio-verify-sid', data));

/** Up to 16 digits, one per nibble, the rest filled with 0xF. */
function packDigits(digits: string): Uint8Array {
  const nibbles = [...digits.padEnd(16, 'f')].map((d) => Number.parseInt(d, 16));
  return Uint8Array.from({ length: 8 }, (_, i) => (nibbles[2 * i]! << 4) | nibbles[2 * i + 1]!);
}

function unpackDigits(bytes: Uint8Array): string | null {
  const text = hex(bytes).replace(/f+$/, '');
  return /^[1-9]\d{1,14}$/.test(text) ? text : null;
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const fromHex = (text: string) =>
  Uint8Array.from({ length: text.length / 2 }, (_, i) => Number.parseInt(text.slice(2 * i, 2 * i + 2), 16));
