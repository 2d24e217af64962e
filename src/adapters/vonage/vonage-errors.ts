// What a Vonage SMS API answer means for a send: refused destination, worth retrying, or a plain failure.
import type { Verdict } from '../retry/send-with-retry.ts';

/** Statuses that refuse the destination itself (SMS_007): another try cannot help. */
const DESTINATION: Readonly<Record<string, string>> = {
  '6': 'The message could not be routed to this number.',
  '7': 'The number is barred.',
  '22': 'The network of this number is not valid for the SMS provider.',
  '29': 'The number is not on the account’s allowed list (a trial account).',
  '33': 'The number is deactivated.',
};
/** Statuses that say the message was not taken for now: retried, then failed over. */
const RETRY = new Set(['1', '5', '10']);
/** Statuses only an operator can fix: reported in the log once per send. */
const OPERATOR: Readonly<Record<string, string>> = {
  '4': 'Vonage rejected the credentials (4): check VONAGE_API_KEY and VONAGE_API_SECRET.',
  '8': 'Vonage barred the account (8).',
  '9': 'Vonage refused for lack of credit or quota (9).',
  '11': 'The Vonage account is not enabled for the SMS API (11).',
  '14': 'Vonage refused the request signature (14).',
  '15': 'Vonage refused VONAGE_FROM as a sender (15).',
};

/** Classifies a message's `status` and `error-text` from the SMS API (`0` is success, never passed here). */
export function classifyStatus(status: string, errorText: string | undefined): Verdict {
  const said = errorText ? `: ${errorText.slice(0, 200)}` : '';
  if (status in DESTINATION || (status === '3' && /\bto\b/i.test(errorText ?? '')))
    return {
      kind: 'refused',
      code: status,
      detail: DESTINATION[status] ?? `The number is not valid for the SMS provider${said}.`,
    };
  if (RETRY.has(status)) return { kind: 'retry', code: status, detail: `Vonage is busy (${status}${said}).` };
  return {
    kind: 'failed',
    code: status,
    detail: `The SMS provider failed (${status}${said}).`,
    ...(OPERATOR[status] ? { operator: OPERATOR[status] } : {}),
  };
}

/** An HTTP error answer: 429 and 5xx say the message was not taken. */
export function classifyHttp(status: number): Verdict {
  if (status === 429 || status >= 500)
    return { kind: 'retry', code: String(status), detail: `Vonage failed (${status}).` };
  if (status === 401) {
    return {
      kind: 'failed',
      code: '401',
      detail: 'The SMS provider refused the service credentials.',
      operator:
        'Vonage rejected the credentials (401): check VONAGE_API_KEY and VONAGE_API_SECRET, and for calls or WhatsApp VONAGE_APPLICATION_ID and VONAGE_PRIVATE_KEY.',
    };
  }
  return { kind: 'failed', code: String(status), detail: `The SMS provider failed (${status}).` };
}

/** A transport error: a refused connection never reached Vonage; anything later may have. */
export function classifyTransport(error: unknown): Verdict {
  const code = String(
    (error as { cause?: { code?: unknown } })?.cause?.code ?? (error as { code?: unknown })?.code ?? '',
  );
  if (code === 'ECONNREFUSED') return { kind: 'retry', code, detail: 'The SMS provider could not be reached.' };
  const timedOut = (error as Error)?.name === 'AbortError' || (error as Error)?.name === 'TimeoutError';
  return {
    kind: 'failed',
    code: timedOut ? 'timeout' : code || 'network',
    detail: 'The SMS provider did not answer; not retried, the message may have been sent.',
    unknownFate: true,
  };
}
