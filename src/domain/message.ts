// The SMS text: the template filled in, and the optional WebOTP line.
import type { MessagePolicy } from './policy.ts';

export const DEFAULT_TEMPLATE = 'Your {app} code is {code}. It expires in {minutes} minutes.';

export interface MessageValues {
  readonly code: string;
  readonly ttlSeconds: number;
  readonly locale?: string | undefined;
}

/** Fills `{app}`, `{code}` and `{minutes}`; appends `@domain #code` when WebOTP is on. */
export function renderMessage(policy: MessagePolicy, values: MessageValues): string {
  const template = policy.template ?? DEFAULT_TEMPLATE;
  const minutes = String(Math.max(1, Math.ceil(values.ttlSeconds / 60)));
  const text = template.replace(/\{(app|code|minutes)\}/g, (_, name: string) =>
    name === 'app' ? policy.appName : name === 'code' ? values.code : minutes,
  );
  return policy.webotpDomain ? `${text}\n\n@${policy.webotpDomain} #${values.code}` : text;
}
