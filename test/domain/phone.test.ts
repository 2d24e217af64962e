import { describe, expect, it } from 'vitest';
import { parsePhone, phonePrefix, phoneTail } from '../../src/domain/phone/phone.ts';

describe('parsePhone', () => {
  it('normalises international input to E.164', () => {
    for (const input of ['+14155552671', '+1 (415) 555-2671', '+1-415-555-2671', ' +1 415 555 2671 ']) {
      expect(parsePhone(input, undefined, {})).toEqual({
        ok: true,
        value: { e164: '+14155552671', country: 'US', type: 'fixed_line_or_mobile', callingCode: '1' },
      });
    }
  });

  it('reads a national number in the request country, else the default country', () => {
    expect(parsePhone('020 7946 0018', 'GB', {})).toMatchObject({
      ok: true,
      value: { e164: '+442079460018', country: 'GB' },
    });
    expect(parsePhone('06 12 34 56 78', undefined, { defaultCountry: 'FR' })).toMatchObject({
      ok: true,
      value: { e164: '+33612345678' },
    });
    expect(parsePhone('06 12 34 56 78', 'fr', { defaultCountry: 'US' })).toMatchObject({
      ok: true,
      value: { country: 'FR' },
    });
  });

  it('refuses a national number with no country to read it in', () => {
    expect(parsePhone('4155552671', undefined, {})).toMatchObject({ ok: false, error: { name: 'INVALID_PHONE' } });
  });

  it('refuses what is not a valid number', () => {
    for (const input of [
      'hello',
      '+1415555',
      '+999 123',
      '',
      '+14155552671'.repeat(6),
      '{"$gt":""}',
      '+1 415 555 0000 0000',
    ]) {
      expect(parsePhone(input, undefined, {})).toMatchObject({ ok: false, error: { name: 'INVALID_PHONE' } });
    }
  });

  it('uses full metadata: a number in an unassigned range is not valid', () => {
    expect(parsePhone('+1 200 555 0100', undefined, {})).toMatchObject({ ok: false, error: { name: 'INVALID_PHONE' } });
  });

  it('allows only listed countries when a list is given', () => {
    const policy = { allowedCountries: ['US', 'CA'] };
    expect(parsePhone('+14155552671', undefined, policy).ok).toBe(true);
    expect(parsePhone('+442079460018', undefined, policy)).toMatchObject({
      ok: false,
      error: { name: 'COUNTRY_NOT_ALLOWED', extra: { country: 'GB' } },
    });
  });
});

describe('phone fragments', () => {
  it('shows at most the last four digits', () => {
    expect(phoneTail('+14155552671')).toBe('…2671');
  });
  it('keys the prefix limit on all but the last four digits', () => {
    expect(phonePrefix('+14155552671')).toBe('+1415555');
  });
});
