// SERVICES_FILE: each service's rules over the environment's, and every bad entry reported at once.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readServicesFile } from '../../src/compose.ts';
import { policyFromSettings } from '../../src/config/policy-from-settings.ts';
import { parseServicesFile } from '../../src/config/services-file.ts';
import { parseSettings } from '../../src/config/settings.ts';

const A = `VA${'a1'.repeat(16)}`;
const B = `VA${'b2'.repeat(16)}`;

function settings(env: Record<string, string> = {}) {
  const loaded = parseSettings({ NODE_ENV: 'test', ...env });
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  return loaded.settings;
}
const parse = (file: unknown, env: Record<string, string> = {}) =>
  parseServicesFile(typeof file === 'string' ? file : JSON.stringify(file), policyFromSettings(settings(env)));

describe('SERVICES_FILE', () => {
  it("gives each service its own fields and the environment's for the rest", () => {
    const result = parse(
      {
        services: [
          {
            sid: A,
            friendlyName: 'Acme',
            codeLength: 8,
            codeTtlSeconds: 120,
            maxCheckAttempts: 3,
            sendLimit: 2,
            sendWindowSeconds: 600,
            resendCooldownSeconds: 10,
            allowedCountries: ['gb', 'IE'],
            defaultCountry: 'GB',
            template: '{app}: {code}',
            locale: 'pt-BR',
            testCodes: { '+447700900123': '12345678' },
            customCodeEnabled: true,
          },
          { sid: B },
        ],
      },
      { SEND_LIMIT: '7', APP_NAME: 'EnvApp', IP_SEND_LIMIT: '9' },
    );
    if (!result.ok) throw new Error(result.errors.join('; '));
    const [a, b] = result.services;
    expect(a).toMatchObject({ sid: A, friendlyName: 'Acme' });
    expect(a!.policy).toMatchObject({
      codeLength: 8,
      codeTtlSeconds: 120,
      maxCheckAttempts: 3,
      sendLimit: 2,
      sendWindowSeconds: 600,
      resendCooldownSeconds: 10,
      allowedCountries: ['GB', 'IE'],
      defaultCountry: 'GB',
      customCodes: true,
      ipSendLimit: 9,
      message: { appName: 'Acme', template: '{app}: {code}', defaultLocale: 'pt-BR' },
    });
    expect([...a!.policy.testCodes]).toEqual([['+447700900123', '12345678']]);
    expect(b).toMatchObject({ sid: B, friendlyName: 'EnvApp' });
    expect(b!.policy).toMatchObject({
      codeLength: 6,
      sendLimit: 7,
      customCodes: false,
      message: { appName: 'EnvApp' },
    });
  });

  it('lists every bad entry and field at once, naming the entry by index and sid', () => {
    const result = parse({
      services: [
        { sid: A, codeLength: 3, sendLimit: 1.5, colour: 'red' },
        { sid: 'VA123', template: 'no code here', testCodes: { '555': 'abcd' } },
        { sid: A },
        { sid: B, allowedCountries: ['GB'], defaultCountry: 'US' },
        42,
        { friendlyName: '' },
      ],
    });
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toEqual(
      expect.arrayContaining([
        `SERVICES_FILE services[0] (${A}) codeLength must be 4 to 10`,
        `SERVICES_FILE services[0] (${A}) sendLimit must be a whole number`,
        `SERVICES_FILE services[0] (${A}) colour is not a known field`,
        'SERVICES_FILE services[1] (VA123) sid must be VA followed by 32 lowercase hex digits',
        'SERVICES_FILE services[1] (VA123) template must contain {code}',
        `SERVICES_FILE services[2] (${A}) repeats the sid of an earlier service`,
        `SERVICES_FILE services[3] (${B}) defaultCountry US must be one of its allowed countries`,
        'SERVICES_FILE services[4] must be an object',
        'SERVICES_FILE services[5] sid is required',
        'SERVICES_FILE services[5] friendlyName must not be empty',
      ]),
    );
    expect(errors.filter((e) => e.startsWith('SERVICES_FILE services[1]') && e.includes('testCodes'))).not.toEqual([]);
  });

  it('accepts services.example.json, the file the README points to', () => {
    const example = readServicesFile(settings({ SERVICES_FILE: 'services.example.json' }));
    expect(example.ok && example.services.map((s) => s.friendlyName)).toEqual(['Acme Shop', 'Acme Bank']);
  });

  it('refuses a file that is not JSON, or not a services list', () => {
    expect(parse('{ services: ')).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^SERVICES_FILE is not valid JSON/)],
    });
    expect(parse({ service: [] })).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^SERVICES_FILE must be/)],
    });
    expect(parse([])).toMatchObject({ ok: false });
  });

  it('is read from the path the setting names; an unreadable path is reported, no file means no services', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smsv-services-'));
    const path = join(dir, 'services.json');
    writeFileSync(path, JSON.stringify({ services: [{ sid: A, codeLength: 4 }] }));
    const read = readServicesFile(settings({ SERVICES_FILE: path }));
    expect(read.ok && read.services.map((s) => [s.sid, s.policy.codeLength])).toEqual([[A, 4]]);
    expect(readServicesFile(settings({ SERVICES_FILE: join(dir, 'missing.json') }))).toEqual({
      ok: false,
      errors: ['SERVICES_FILE cannot be read: ENOENT'],
    });
    expect(readServicesFile(settings())).toEqual({ ok: true, services: [] });
  });

  it('reads only a regular file of at most 1 MiB and 1,000 services, answering at once otherwise', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smsv-services-'));
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    for (const path of ['/dev/zero', fifo, dir]) {
      expect(readServicesFile(settings({ SERVICES_FILE: path }))).toEqual({
        ok: false,
        errors: ['SERVICES_FILE must be a regular file'],
      });
    }
    const big = join(dir, 'big.json');
    writeFileSync(big, JSON.stringify({ services: [], padding: 'x'.repeat(1024 * 1024) }));
    expect(readServicesFile(settings({ SERVICES_FILE: big }))).toEqual({
      ok: false,
      errors: ['SERVICES_FILE must be at most 1048576 bytes (1 MiB)'],
    });
    const many = (n: number) => ({
      services: Array.from({ length: n }, (_, i) => ({ sid: `VA${i.toString(16).padStart(32, '0')}` })),
    });
    expect(parse(many(1000)).ok).toBe(true);
    expect(parse(many(1001))).toEqual({ ok: false, errors: ['SERVICES_FILE must list at most 1000 services'] });
  });

  it('refuses control and bidirectional-override characters in names and templates', () => {
    const result = parse({
      services: [
        { sid: A, friendlyName: 'Bank\u0000' },
        { sid: B, friendlyName: 'Bank\u001b[31m' },
        { sid: `VA${'c3'.repeat(16)}`, friendlyName: 'Bank\u202ekoob' },
        { sid: `VA${'d4'.repeat(16)}`, template: 'Code {code}\u202e' },
      ],
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        expect.stringMatching(/services\[0\] .* friendlyName must not contain control or bidirectional-override/),
        expect.stringMatching(/services\[1\] .* friendlyName must not contain control/),
        expect.stringMatching(/services\[2\] .* friendlyName must not contain control/),
        expect.stringMatching(/services\[3\] .* template must not contain control/),
      ],
    });
    expect(parse({ services: [{ sid: A, template: 'Your code:\n{code}' }] }).ok).toBe(true);
  });

  it("reads a service's routes, and refuses one that names a provider not registered or not configured", () => {
    const dir = mkdtempSync(join(tmpdir(), 'smsv-services-'));
    const path = join(dir, 'services.json');
    writeFileSync(path, JSON.stringify({ services: [{ sid: A, routes: { in: ['console'], '+44': ['console'] } }] }));
    const read = readServicesFile(settings({ SERVICES_FILE: path }));
    expect(read.ok && [...(read.services[0]!.policy.routes ?? [])]).toEqual([
      ['IN', ['console']],
      ['+44', ['console']],
    ]);
    writeFileSync(path, JSON.stringify({ services: [{ sid: A, routes: { IN: ['acme', 'vonage'] } }] }));
    expect(readServicesFile(settings({ SERVICES_FILE: path }))).toEqual({
      ok: false,
      errors: [
        `SERVICES_FILE ${A} routes name acme, which is not a provider`,
        `SERVICES_FILE ${A} routes name vonage, which needs VONAGE_API_KEY, VONAGE_API_SECRET and VONAGE_FROM`,
      ],
    });
    expect(parse({ services: [{ sid: A, routes: { XX: ['twilio'] } }] })).toMatchObject({ ok: false });
  });
});
