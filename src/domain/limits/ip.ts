// IP addresses as the per-IP send limit counts them: one key per IPv4 address or per IPv6 prefix.

/** 4 bytes for IPv4, 16 for IPv6; null when `text` is not an address in a standard notation. */
export function parseIp(text: string): Uint8Array | null {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = new Uint8Array(4);
  for (const [i, part] of parts.entries()) {
    // Leading zeros are refused: some parsers read 010 as octal 8, so its meaning is not settled.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part) || Number(part) > 255) return null;
    bytes[i] = Number(part);
  }
  return bytes;
}

function parseIpv6(text: string): Uint8Array | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (half: string) => (half === '' ? [] : half.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const words: number[] = [];
  const read = (parts: string[], last: boolean) => {
    for (const [i, part] of parts.entries()) {
      if (last && i === parts.length - 1 && part.includes('.')) {
        const v4 = parseIpv4(part);
        if (!v4) return false;
        words.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
        words.push(Number.parseInt(part, 16));
      } else {
        return false;
      }
    }
    return true;
  };
  if (!read(head, halves.length === 1)) return null;
  const headWords = words.length;
  if (!read(tail, true)) return null;
  const missing = 8 - words.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...words.slice(0, headWords), ...new Array<number>(missing).fill(0), ...words.slice(headWords)];
  const bytes = new Uint8Array(16);
  all.forEach((word, i) => {
    bytes[2 * i] = word >> 8;
    bytes[2 * i + 1] = word & 0xff;
  });
  return bytes;
}

/**
 * The per-IP limit's key for an address in any valid notation: an IPv4-mapped IPv6 address counts
 * as its IPv4 address; other IPv6 addresses count per prefix of `v6PrefixLength` bits (one
 * subscriber usually holds a whole /64), written compressed in lower case (RFC 5952). Null when
 * `text` is not an IP address.
 */
export function ipLimitKey(text: string, v6PrefixLength: number): string | null {
  const bytes = parseIp(text);
  if (!bytes) return null;
  const mapped =
    bytes.length === 16 && bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (bytes.length === 4 || mapped) return Array.from(bytes.slice(-4)).join('.');
  const masked = bytes.map((b, i) => {
    const bits = Math.min(8, Math.max(0, v6PrefixLength - i * 8));
    return b & ((0xff << (8 - bits)) & 0xff);
  });
  return `${formatIpv6(masked)}/${v6PrefixLength}`;
}

/** RFC 5952: lower-case hex, no leading zeros, the longest run of two or more zero groups as `::`. */
function formatIpv6(bytes: Uint8Array): string {
  const words = Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  let best = { start: -1, length: 1 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = words.map((w) => w.toString(16));
  if (best.start < 0) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}
