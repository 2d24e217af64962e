// The SMS text: the template filled in, then the Android app hash and WebOTP lines when configured.

import type { MessagePolicy } from '../policy.ts';
import { defaultTemplate } from './message-templates.ts';

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
