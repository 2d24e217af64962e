// What a Twilio answer means for a send: refused destination, worth retrying, or a plain failure.
import type { Verdict } from '../retry/send-with-retry.ts';

/** Twilio codes that refuse the destination itself: retrying cannot help (SMS_007). */
const DESTINATION_CODES: Readonly<Record<number, string>> = {
  21211: 'The number is not a valid phone number for the SMS provider.',
  21408: 'Sending to this region is not enabled.',
  21610: 'The recipient has opted out of messages from this sender.',
  21612: 'The number cannot be reached by SMS from this sender.',
  21614: 'The number cannot receive SMS.',
  21635: 'The number is a landline.',
};

const AUTH_CODE = 20003;

/**
 * Classifies an error answer. Only answers that say the message was not taken (20429, HTTP 429,
 * HTTP 503) are worth retrying: after any other failure the message may already be on its way.
 */
export function classifyAnswer(status: number, code: number | undefined, message: string | undefined): Verdict {
  if (code !== undefined && code in DESTINATION_CODES)
    return { kind: 'refused', code, detail: DESTINATION_CODES[code]! };
  if (code === 20429 || status === 429 || status === 503)
    return { kind: 'retry', code: String(code ?? status), detail: `Twilio is busy (${code ?? status}).` };
  if (code === AUTH_CODE || status === 401) {
    return {
      kind: 'failed',
      code: String(code ?? status),
      detail: 'The SMS provider refused the service credentials.',
      operator: 'Twilio rejected the credentials (20003): check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN.',
    };
  }
  return {
    kind: 'failed',
    code: String(code ?? status),
    detail: `The SMS provider failed (${code ?? status}${message ? `: ${message}` : ''}).`,
  };
}

/** A transport error: a refused connection never reached Twilio; a timeout may have, so it is final. */
export function classifyTransport(error: unknown): Verdict {
  const code = String(
    (error as { code?: unknown })?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code ?? '',
  );
  const name = (error as { name?: unknown })?.name;
  if (code === 'ECONNREFUSED')
    return { kind: 'retry', code: 'ECONNREFUSED', detail: 'The SMS provider could not be reached.' };
  if (name === 'TimeoutError' || name === 'AbortError' || code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
    return {
      kind: 'failed',
      code: 'timeout',
      detail: 'The SMS provider did not answer in time; not retried, the message may have been sent.',
      unknownFate: true,
    };
  }
  // The connection broke after the request went out: Twilio may have taken it.
  return {
    kind: 'failed',
    code: code || 'network',
    detail: 'The SMS provider could not be reached.',
    unknownFate: true,
  };
}
