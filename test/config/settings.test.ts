// Settings: defaults, ranges, and one message listing every bad variable.
import { describe, expect, it } from 'vitest';
import { policyFromSettings } from '../../src/config/policy-from-settings.ts';
import { parseSettings } from '../../src/config/settings.ts';
import { DEFAULT_POLICY } from '../../src/domain/policy.ts';

describe('parseSettings', () => {
  it('gives SPEC defaults for an empty environment, with warnings for the embedded default', () => {
    const result = parseSettings({});
    if (!result.ok) throw new Error(result.errors.join());
    expect(result.settings).toMatchObject({
      PORT: 3000,
      CODE_LENGTH: 6,
      CODE_TTL_SECONDS: 600,
      SEND_LIMIT: 5,
      RESEND_COOLDOWN_SECONDS: 30,
    });
    const { testCodes, message, ...rules } = policyFromSettings(result.settings);
    const { testCodes: _t, message: _m, ...defaults } = DEFAULT_POLICY;
    expect(rules).toEqual({ ...defaults, defaultCountry: undefined, allowedCountries: undefined });
    expect(testCodes.size).toBe(0);
    expect(result.warnings.join('\n')).toMatch(/CODE_SECRET is not set/);
  });

  it('reads the fraud guard settings, and refuses bad ones all at once', () => {
    const result = parseSettings({
      FRAUD_GUARD: 'monitor',
      FRAUD_COUNTRY_RULES: 'us=allow, GB=block,de=MONITOR',
      FRAUD_SAFE_LIST: '+4420*,+14155550100',
      FRAUD_MIN_SENDS: '50',
      FRAUD_MIN_CONVERSION: '0.05',
      FRAUD_COUNTRY_FRACTION: '.5',
      FRAUD_WINDOW_SECONDS: '3600',
      FRAUD_BLOCK_SECONDS: '600',
      ADMIN_API_KEYS: 'admin-key-0123456789',
    });
    if (!result.ok) throw new Error(result.errors.join());
    expect(policyFromSettings(result.settings).fraud).toEqual({
      mode: 'monitor',
      countryRules: new Map([
        ['US', 'allow'],
        ['GB', 'block'],
        ['DE', 'monitor'],
      ]),
      safeList: ['+4420*', '+14155550100'],
      minSends: 50,
      minConversion: 0.05,
      countryFraction: 0.5,
      windowSeconds: 3600,
      blockSeconds: 600,
      countrySurge: 10,
    });
    const bad = parseSettings({
      FRAUD_GUARD: 'on',
      FRAUD_COUNTRY_RULES: 'US=deny',
      FRAUD_SAFE_LIST: '4420',
      FRAUD_MIN_CONVERSION: '1.5',
      API_KEYS: 'shared-key-0123456789',
      ADMIN_API_KEYS: 'shared-key-0123456789',
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors.map((e) => e.split(' ')[0]).sort()).toEqual([
      'ADMIN_API_KEYS',
      'FRAUD_COUNTRY_RULES',
      'FRAUD_GUARD',
      'FRAUD_MIN_CONVERSION',
      'FRAUD_SAFE_LIST',
    ]);
  });

  it('asks Vonage calls for an application (the Voice API takes only its JWT), and reads a one-line PEM', () => {
    const base = { VONAGE_API_KEY: 'abcd1234', VONAGE_API_SECRET: 'vonage-api-secret-0123', VONAGE_FROM: 'Acme' };
    const missing = parseSettings({ ...base, VONAGE_VOICE_FROM: '+14155550199' });
    expect(missing.ok).toBe(false);
    if (missing.ok) return;
    expect(missing.errors.map((e) => e.split(' ')[0]).sort()).toEqual(['VONAGE_APPLICATION_ID', 'VONAGE_PRIVATE_KEY']);
    const pem = '-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE KEY-----';
    const ok = parseSettings({
      ...base,
      VONAGE_VOICE_FROM: '+14155550199',
      VONAGE_APPLICATION_ID: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      VONAGE_PRIVATE_KEY: pem,
    });
    expect(ok.ok && ok.settings['VONAGE_PRIVATE_KEY']).toBe(
      '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----',
    );
    expect(parseSettings({ ...base, VONAGE_PRIVATE_KEY: 'not a key' }).ok).toBe(false);
  });

  it('takes a safe-list prefix only with a trailing *, so a short entry is not silently a prefix', () => {
    for (const entry of ['+4420', '+141555', '4420*', '+*', '+4420**']) {
      const result = parseSettings({ FRAUD_SAFE_LIST: entry });
      expect(result).toEqual({
        ok: false,
        errors: ['FRAUD_SAFE_LIST must list E.164 numbers, or prefixes ending in * (+4420*), comma-separated'],
      });
    }
    expect(parseSettings({ FRAUD_SAFE_LIST: '+4930123456,+4420*,+1*' }).ok).toBe(true);
  });

  it('takes calling codes beside countries in ALLOWED_COUNTRIES and FRAUD_COUNTRY_RULES, and bounds FRAUD_COUNTRY_SURGE', () => {
    const result = parseSettings({
      ALLOWED_COUNTRIES: 'us,+44,+881',
      DEFAULT_COUNTRY: 'GB',
      FRAUD_COUNTRY_RULES: '+881=block,US=allow',
      FRAUD_COUNTRY_SURGE: '0',
    });
    if (!result.ok) throw new Error(result.errors.join());
    const policy = policyFromSettings(result.settings);
    expect(policy.allowedCountries).toEqual(['US', '+44', '+881']);
    expect(policy.fraud.countryRules).toEqual(
      new Map([
        ['+881', 'block'],
        ['US', 'allow'],
      ]),
    );
    expect(policy.fraud.countrySurge).toBe(0);
    const bad = parseSettings({ ALLOWED_COUNTRIES: '+999', FRAUD_COUNTRY_RULES: '+0=block', FRAUD_COUNTRY_SURGE: '1' });
    expect(bad).toEqual({
      ok: false,
      errors: [
        'ALLOWED_COUNTRIES must be ISO 3166 alpha-2 country codes or calling codes such as +881',
        'FRAUD_COUNTRY_RULES must name ISO 3166 alpha-2 countries or calling codes',
        'FRAUD_COUNTRY_SURGE must be 0 (off) or 2 to 1000',
      ],
    });
  });

  it('reads every rule setting', () => {
    const result = parseSettings({
      CODE_LENGTH: '8',
      CODE_TTL_SECONDS: '120',
      MAX_CHECK_ATTEMPTS: '3',
      SEND_LIMIT: '10',
      SEND_WINDOW_SECONDS: '60',
      RESEND_COOLDOWN_SECONDS: '0',
      DAILY_SEND_BUDGET: '1000',
      ALLOWED_COUNTRIES: 'us, ca',
      DEFAULT_COUNTRY: 'us',
      TEST_CODES: '+15005550006=123456,+15005550007=654321',
      API_KEYS: 'key-one-0123456789abcdef',
      CODE_SECRET: 'secret-new-0123456789,secret-old-0123456789',
    });
    if (!result.ok) throw new Error(result.errors.join());
    const policy = policyFromSettings(result.settings);
    expect(policy).toMatchObject({
      codeLength: 8,
      codeTtlSeconds: 120,
      maxCheckAttempts: 3,
      sendLimit: 10,
      dailySendBudget: 1000,
    });
    expect(policy.allowedCountries).toEqual(['US', 'CA']);
    expect(policy.defaultCountry).toBe('US');
    expect([...policy.testCodes]).toEqual([
      ['+15005550006', '123456'],
      ['+15005550007', '654321'],
    ]);
    expect(result.settings.CODE_SECRET).toEqual(['secret-new-0123456789', 'secret-old-0123456789']);
    expect(result.warnings.join('\n')).toMatch(/TEST_CODES is set/);
  });

  it('lists every bad variable at once, naming each, never echoing a secret', () => {
    const result = parseSettings({
      CODE_LENGTH: '3',
      CODE_TTL_SECONDS: 'ten',
      SEND_LIMIT: '0',
      SEND_WINDOW_SECONDS: '604801',
      RESEND_COOLDOWN_SECONDS: '3601',
      MAX_CHECK_ATTEMPTS: '101',
      ALLOWED_COUNTRIES: 'US,XX',
      SMS_TEMPLATE: 'Your code',
      TEST_CODES: '+15005550006=12',
      CODE_SECRET: 'short-secret',
      PORT: '70000',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const names = result.errors.map((e) => e.split(' ')[0]).sort();
    expect(names).toEqual(
      [
        'ALLOWED_COUNTRIES',
        'CODE_LENGTH',
        'CODE_SECRET',
        'CODE_TTL_SECONDS',
        'MAX_CHECK_ATTEMPTS',
        'PORT',
        'RESEND_COOLDOWN_SECONDS',
        'SEND_LIMIT',
        'SEND_WINDOW_SECONDS',
        'SMS_TEMPLATE',
        'TEST_CODES',
      ].sort(),
    );
    expect(result.errors.join('\n')).not.toContain('short-secret');
    expect(result.errors.find((e) => e.startsWith('CODE_LENGTH'))).toBe('CODE_LENGTH must be 4 to 10');
  });

  it('refuses production without API_KEYS or CODE_SECRET', () => {
    const result = parseSettings({ NODE_ENV: 'production', ALLOW_DEVELOPMENT_ADAPTERS: 'true' });
    expect(result).toEqual({
      ok: false,
      errors: ['API_KEYS is required when NODE_ENV=production', 'CODE_SECRET is required when NODE_ENV=production'],
    });
    const ready = parseSettings({
      NODE_ENV: 'production',
      API_KEYS: 'key-one-0123456789abcdef',
      CODE_SECRET: 'secret-0123456789abcdef',
      MONGODB_URI: 'mongodb://db.internal/verify',
      TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'token-0123456789abcdef',
      TWILIO_FROM: '+15005550006',
    });
    expect(ready.ok).toBe(true);
  });

  it('refuses control and bidirectional-override characters in APP_NAME and SMS_TEMPLATE', () => {
    expect(parseSettings({ APP_NAME: 'Bank\u202ekoob', SMS_TEMPLATE: '\u001b[2J{code}' })).toEqual({
      ok: false,
      errors: [
        'APP_NAME must not contain control or bidirectional-override characters',
        'SMS_TEMPLATE must not contain control or bidirectional-override characters',
      ],
    });
    expect(parseSettings({ APP_NAME: 'Café Ünïcode', SMS_TEMPLATE: 'Code:\n{code}' }).ok).toBe(true);
  });

  it('refuses production when a key list names no key, exactly as if it were unset', () => {
    const ready = {
      NODE_ENV: 'production',
      ALLOW_DEVELOPMENT_ADAPTERS: 'true',
      API_KEYS: 'key-one-0123456789abcdef',
      CODE_SECRET: 'secret-0123456789abcdef',
    };
    expect(parseSettings(ready).ok).toBe(true);
    for (const empty of [',', ',,,', ' , ']) {
      expect(parseSettings({ ...ready, API_KEYS: empty })).toEqual({
        ok: false,
        errors: ['API_KEYS is required when NODE_ENV=production'],
      });
      expect(parseSettings({ ...ready, CODE_SECRET: empty })).toEqual({
        ok: false,
        errors: ['CODE_SECRET is required when NODE_ENV=production'],
      });
      expect(parseSettings({ ...ready, ADMIN_API_KEYS: empty })).toEqual({
        ok: false,
        errors: ['ADMIN_API_KEYS names no key: list one or more, or leave it unset'],
      });
      // Outside production it is unset, with the usual warning.
      const dev = parseSettings({ API_KEYS: empty });
      expect(dev.ok && dev.warnings).toContain(
        'API_KEYS is not set: the API accepts requests from anyone who can reach it.',
      );
    }
  });

  it('refuses production on in-memory stores or the console sender unless asked for explicitly', () => {
    const base = {
      NODE_ENV: 'production',
      API_KEYS: 'key-one-0123456789abcdef',
      CODE_SECRET: 'secret-0123456789abcdef',
    };
    const refused = parseSettings(base);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.errors).toEqual([
        expect.stringMatching(/^MONGODB_URI is required when NODE_ENV=production/),
        expect.stringMatching(/^an SMS provider is required when NODE_ENV=production/),
      ]);
    }
    expect(parseSettings({ ...base, ALLOW_DEVELOPMENT_ADAPTERS: 'true' }).ok).toBe(true);
    expect(parseSettings({ ...base, ALLOW_DEVELOPMENT_ADAPTERS: 'yes' })).toMatchObject({
      ok: false,
      errors: expect.arrayContaining(['ALLOW_DEVELOPMENT_ADAPTERS must be true or false']),
    });
  });

  it('rejects an unknown NODE_ENV rather than silently running unguarded', () => {
    expect(parseSettings({ NODE_ENV: 'prod' })).toMatchObject({
      ok: false,
      errors: ['NODE_ENV must be development, production or test'],
    });
  });

  it('refuses MONGODB_URI without CODE_SECRET outside tests: codes would stop matching after a restart', () => {
    expect(parseSettings({ MONGODB_URI: 'mongodb://db/verify' })).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^CODE_SECRET is required with MONGODB_URI/)],
    });
    expect(parseSettings({ MONGODB_URI: 'mongodb://db/verify', NODE_ENV: 'test' }).ok).toBe(true);
    expect(parseSettings({ MONGODB_URI: 'mongodb://db/verify', CODE_SECRET: 'secret-0123456789abcdef' }).ok).toBe(true);
  });

  it('refuses a header timeout longer than the request timeout, which Node would not take', () => {
    expect(parseSettings({ REQUEST_TIMEOUT_SECONDS: '5', HEADERS_TIMEOUT_SECONDS: '6' })).toMatchObject({
      ok: false,
      errors: ['HEADERS_TIMEOUT_SECONDS must not exceed REQUEST_TIMEOUT_SECONDS'],
    });
    expect(parseSettings({ REQUEST_TIMEOUT_SECONDS: '5', HEADERS_TIMEOUT_SECONDS: '5' })).toMatchObject({
      ok: true,
      settings: { REQUEST_TIMEOUT_SECONDS: 5, HEADERS_TIMEOUT_SECONDS: 5, KEEP_ALIVE_TIMEOUT_SECONDS: 5 },
    });
  });

  it('treats empty variables as unset', () => {
    const result = parseSettings({ CODE_LENGTH: '', DAILY_SEND_BUDGET: ' ' });
    expect(result).toMatchObject({ ok: true, settings: { CODE_LENGTH: 6, DAILY_SEND_BUDGET: undefined } });
  });

  it('checks the Twilio settings together', () => {
    const sid = `AC${'a'.repeat(32)}`;
    expect(parseSettings({ TWILIO_ACCOUNT_SID: sid })).toMatchObject({
      ok: false,
      errors: expect.arrayContaining([
        expect.stringMatching(/^TWILIO_AUTH_TOKEN is required/),
        expect.stringMatching(/^TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID/),
      ]),
    });
    expect(
      parseSettings({ TWILIO_ACCOUNT_SID: 'AC123', TWILIO_AUTH_TOKEN: 'x'.repeat(32), TWILIO_FROM: '+15005550006' }),
    ).toMatchObject({ ok: false, errors: [expect.stringMatching(/^TWILIO_ACCOUNT_SID must be AC/)] });
    expect(parseSettings({ ANDROID_APP_HASH: 'short' })).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^ANDROID_APP_HASH/)],
    });
    const good = parseSettings({
      TWILIO_ACCOUNT_SID: sid,
      TWILIO_AUTH_TOKEN: 'x'.repeat(32),
      TWILIO_FROM: 'Acme',
      TWILIO_API_BASE_URL: 'http://127.0.0.1:9999/',
    });
    expect(good).toMatchObject({
      ok: true,
      settings: { TWILIO_TIMEOUT_MS: 10_000, TWILIO_MAX_RETRIES: 2, TWILIO_API_BASE_URL: 'http://127.0.0.1:9999' },
    });
  });
});
