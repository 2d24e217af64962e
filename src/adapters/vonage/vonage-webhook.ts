// Vonage's delivery receipts at /v1/webhooks/vonage/status, authenticated by their signature.
import { AlgorithmTypes, Auth } from '@vonage/auth';
import { SMS } from '@vonage/sms';
import type { DeliveryStatus } from '../../domain/verification/verification-record.ts';
import type { DeliveryWebhook } from '../../ports/delivery-webhook.ts';

export const VONAGE_STATUS_PATH = '/v1/webhooks/vonage/status';

/** The signature methods a Vonage account can sign with (VONAGE_SIGNATURE_METHOD). */
export const SIGNATURE_METHODS = ['md5hash', 'md5', 'sha1', 'sha256', 'sha512'] as const;

/** Vonage's receipt statuses; `unknown` is acknowledged and ignored. */
const STATUS: Readonly<Record<string, DeliveryStatus>> = {
  accepted: 'sent',
  buffered: 'sent',
  delivered: 'delivered',
  expired: 'undelivered',
  rejected: 'undelivered',
  failed: 'failed',
};

/** A signed receipt older (or newer) than this is refused, so a captured one cannot be replayed. */
const MAX_SKEW_SECONDS = 300;

export interface VonageWebhookOptions {
  readonly signatureSecret: string;
  readonly method: (typeof SIGNATURE_METHODS)[number];
  readonly now?: (() => Date) | undefined;
}

/**
 * A receipt comes as JSON or a form (the account chooses) with `messageId`, `status`, `err-code`,
 * and, signed, `timestamp`, `nonce` and `sig`: the signature over every other parameter with the
 * account's signature secret, checked by the SDK's own `verifySignature`. Unsigned, wrongly signed
 * or stale receipts answer SMS_013.
 */
export function createVonageWebhook(options: VonageWebhookOptions): DeliveryWebhook {
  const checker = new SMS(new Auth({ apiKey: 'receipts', apiSecret: 'receipts' }));
  return {
    provider: 'vonage',
    requestBody: {
      contentType: 'application/json',
      schema: {
        type: 'object',
        required: ['messageId', 'status', 'sig', 'timestamp'],
        properties: {
          messageId: { type: 'string' },
          status: { type: 'string' },
          'err-code': { type: 'string' },
          timestamp: { type: 'string' },
          nonce: { type: 'string' },
          sig: { type: 'string' },
        },
      },
    },
    async receive(request) {
      const params = parse(request.body, request.headers.get('content-type'));
      if (!params?.['sig']) return { ok: false, detail: 'The receipt is not signed (no sig).' };
      const stamp = Number(params['timestamp']);
      const now = (options.now?.() ?? new Date()).getTime() / 1000;
      if (!Number.isFinite(stamp) || Math.abs(now - stamp) > MAX_SKEW_SECONDS)
        return { ok: false, detail: 'The receipt’s timestamp is missing or more than 5 minutes off.' };
      const algorithm = ALGORITHMS[options.method];
      if (!checker.verifySignature(params['sig'], params, options.signatureSecret, algorithm))
        return { ok: false, detail: 'The receipt’s signature does not match.' };
      const status = STATUS[params['status'] ?? ''];
      const messageId = params['messageId'];
      if (!status || !messageId) return { ok: true, reports: [] };
      const errorCode = params['err-code'] && params['err-code'] !== '0' ? params['err-code'] : undefined;
      return { ok: true, reports: [{ messageId, status, ...(errorCode ? { errorCode } : {}) }] };
    },
  };
}

const ALGORITHMS: Record<(typeof SIGNATURE_METHODS)[number], AlgorithmTypes> = {
  md5hash: AlgorithmTypes.md5hash,
  md5: AlgorithmTypes.md5hmac,
  sha1: AlgorithmTypes.sha1hmac,
  sha256: AlgorithmTypes.sha256hmac,
  sha512: AlgorithmTypes.sha512hmac,
};

/** The receipt's parameters as strings, from JSON or a form; null when it is neither. */
function parse(body: string, contentType: string | null): Record<string, string> | null {
  try {
    const raw: Record<string, unknown> = contentType?.includes('json')
      ? (JSON.parse(body) as Record<string, unknown>)
      : Object.fromEntries(new URLSearchParams(body));
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)]));
  } catch {
    return null;
  }
}
