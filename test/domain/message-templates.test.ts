// Built-in translations, the Android and WebOTP lines, and that every default fits one GSM-7 segment.
import { describe, expect, it } from 'vitest';
import { renderMessage } from '../../src/domain/message/message.ts';
import { DEFAULT_TEMPLATES } from '../../src/domain/message/message-templates.ts';
import { countSegments } from '../../src/domain/message/sms-segments.ts';

describe('translations', () => {
  it('offers en, es, fr, de and pt, picked by the language of the locale, else English', () => {
    const text = (locale?: string) => renderMessage({ appName: 'Acme' }, { code: '123456', ttlSeconds: 600, locale });
    expect(text('es')).toBe('Tu codigo de Acme es 123456. Caduca en 10 minutos.');
    expect(text('fr-CA')).toBe('Votre code Acme est 123456. Il expire dans 10 minutes.');
    expect(text('de')).toBe('Ihr Acme-Code lautet 123456. Er läuft in 10 Minuten ab.');
    expect(text('pt_BR')).toBe('Seu codigo Acme e 123456. Expira em 10 minutos.');
    expect(text('ja')).toBe('Your Acme code is 123456. It expires in 10 minutes.');
    expect(text()).toBe(text('en'));
  });

  it('uses SMS_TEMPLATE for every locale when it is set', () => {
    expect(renderMessage({ appName: 'Acme', template: '{code}' }, { code: '1234', ttlSeconds: 60, locale: 'es' })).toBe(
      '1234',
    );
  });

  it('puts the Android app hash on its own line and the WebOTP line last', () => {
    const text = renderMessage(
      { appName: 'Acme', androidAppHash: 'FA+9qCX9VSu', webotpDomain: 'acme.example' },
      { code: '123456', ttlSeconds: 600 },
    );
    expect(text.split('\n')).toEqual([
      'Your Acme code is 123456. It expires in 10 minutes.',
      'FA+9qCX9VSu',
      '',
      '@acme.example #123456',
    ]);
  });
});

describe('SMS length', () => {
  it('keeps every built-in text, at its longest, inside one GSM-7 segment', () => {
    for (const locale of Object.keys(DEFAULT_TEMPLATES)) {
      const text = renderMessage(
        { appName: 'A'.repeat(20), androidAppHash: 'FA+9qCX9VSu', webotpDomain: 'verify.example-company.com' },
        { code: '0123456789', ttlSeconds: 86_400, locale },
      );
      expect({ locale, ...countSegments(text) }).toMatchObject({ locale, encoding: 'GSM-7', segments: 1 });
    }
  });

  it('counts GSM-7 septets, extended characters as two, and switches to UCS-2 for anything else', () => {
    expect(countSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(countSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(countSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(countSegments(`ó${'a'.repeat(69)}`)).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(countSegments(`ó${'a'.repeat(70)}`)).toEqual({ encoding: 'UCS-2', units: 71, segments: 2 });
    expect(countSegments('Tu código').encoding).toBe('UCS-2');
  });
});
