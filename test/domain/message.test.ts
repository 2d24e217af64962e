import { describe, expect, it } from 'vitest';
import { renderMessage } from '../../src/domain/message/message.ts';

describe('renderMessage', () => {
  it('fills the default template', () => {
    expect(renderMessage({ appName: 'Acme' }, { code: '123456', ttlSeconds: 600 })).toBe(
      'Your Acme code is 123456. It expires in 10 minutes.',
    );
  });

  it('fills every placeholder of a custom template, each as often as it appears', () => {
    const text = renderMessage(
      { appName: 'Acme', template: '{code} is your {app} code ({minutes} min). {code}' },
      { code: '0042', ttlSeconds: 90 },
    );
    expect(text).toBe('0042 is your Acme code (2 min). 0042');
  });

  it('adds the WebOTP line last when a domain is set', () => {
    const text = renderMessage({ appName: 'Acme', webotpDomain: 'acme.example' }, { code: '123456', ttlSeconds: 600 });
    expect(text.split('\n').at(-1)).toBe('@acme.example #123456');
  });

  it('does not expand placeholders inside the app name', () => {
    expect(renderMessage({ appName: '{code}', template: '{app}:{code}' }, { code: '1234', ttlSeconds: 60 })).toBe(
      '{code}:1234',
    );
  });
});
