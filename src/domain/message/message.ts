// The SMS text: the template filled in, then the Android app hash and WebOTP lines when configured.

import type { MessagePolicy } from '../policy.ts';
import { defaultTemplate, spokenTemplate } from './message-templates.ts';

export interface MessageValues {
  readonly code: string;
  readonly ttlSeconds: number;
  readonly locale?: string | undefined;
}

/**
 * Fills `{app}`, `{code}` and `{minutes}` into SMS_TEMPLATE, or the built-in text in the request's
 * language. The Android SMS Retriever hash goes on its own line; the WebOTP line `@domain #code`
 * comes last because browsers read only the last line.
 */
export function renderMessage(policy: MessagePolicy, values: MessageValues): string {
  const template = policy.template ?? defaultTemplate(values.locale ?? policy.defaultLocale);
  const minutes = String(Math.max(1, Math.ceil(values.ttlSeconds / 60)));
  const text = template.replace(/\{(app|code|minutes)\}/g, (_, name: string) =>
    name === 'app' ? policy.appName : name === 'code' ? values.code : minutes,
  );
  const lines = [text];
  if (policy.androidAppHash) lines.push(policy.androidAppHash);
  if (policy.webotpDomain) lines.push('', `@${policy.webotpDomain} #${values.code}`);
  return lines.join('\n');
}

/**
 * What a voice call says: the spoken template (or, for a service with its own template, the SMS
 * text) with the code read digit by digit. No app hash or WebOTP line: nobody reads a call.
 */
export function renderSpoken(policy: MessagePolicy, values: MessageValues): string {
  const digits = [...values.code].join(', ');
  const template = spokenTemplate(values.locale ?? policy.defaultLocale);
  return template.replace(/\{(app|digits)\}/g, (_, name: string) => (name === 'app' ? policy.appName : digits));
}
