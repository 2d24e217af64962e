// The per-IP limit's key: every notation of one address, and every address of one IPv6 /64, is one key.
import { describe, expect, it } from 'vitest';
import { ipLimitKey, parseIp } from '../../src/domain/limits/ip.ts';

describe('ipLimitKey', () => {
  it('counts an IPv4-mapped IPv6 address as its IPv4 address, in every notation', () => {
    for (const text of [
      '198.51.100.9',
      '::ffff:198.51.100.9',
      '::ffff:c633:6409',
      '0:0:0:0:0:ffff:198.51.100.9',
      '::FFFF:C633:6409',
    ]) {
      expect(ipLimitKey(text, 64), text).toBe('198.51.100.9');
    }
  });

  it('writes one key for every notation of an IPv6 address', () => {
    for (const text of ['2001:db8:1::1', '2001:DB8:1::1', '2001:db8:1:0:0:0:0:1', '2001:0db8:0001::0001']) {
      expect(ipLimitKey(text, 128), text).toBe('2001:db8:1::1/128');
    }
  });

  it('counts IPv6 per /64 by default: 30 addresses of one /64 are one key', () => {
    const keys = new Set(
      Array.from({ length: 30 }, (_, i) => ipLimitKey(`2001:db8:1:2:${i.toString(16)}::${i + 1}`, 64)),
    );
    expect([...keys]).toEqual(['2001:db8:1:2::/64']);
    expect(ipLimitKey('2001:db8:1:3::1', 64)).toBe('2001:db8:1:3::/64');
    expect(ipLimitKey('2001:db8:ab00::1', 40)).toBe('2001:db8:ab00::/40');
  });

  it('compresses the longest run of zero groups, the first on a tie (RFC 5952)', () => {
    expect(ipLimitKey('2001:0:0:1:0:0:0:1', 128)).toBe('2001:0:0:1::1/128');
    expect(ipLimitKey('2001:db8:0:0:1:0:0:1', 128)).toBe('2001:db8::1:0:0:1/128');
    expect(ipLimitKey('::1', 128)).toBe('::1/128');
    expect(ipLimitKey('::', 64)).toBe('::/64');
    expect(ipLimitKey('1:2:3:4:5:6:7:8', 128)).toBe('1:2:3:4:5:6:7:8/128');
  });

  it('refuses what is not an address', () => {
    for (const text of [
      '',
      '1.2.3',
      '1.2.3.4.5',
      '256.1.1.1',
      '01.2.3.4',
      '1:2:3:4:5:6:7:8:9',
      '1::2::3',
      'g::1',
      '12345::1',
      '::1.2.3',
      'fe80::1%eth0',
      '1:2:3:4:5:6:7::8',
    ]) {
      expect(parseIp(text), text).toBeNull();
    }
  });
});
