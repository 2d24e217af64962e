// A generic HTTP gateway as a provider: any regional provider or in-house SMSC, signed per Standard Webhooks.
import * as v from 'valibot';
import { defineProvider } from '../../ports/adapter-descriptor.ts';
import { int } from '../settings/schemas.ts';
import { createGatewaySender } from './gateway-sender.ts';
import { createGatewayWebhook } from './gateway-webhook.ts';

export const httpGatewayProvider = defineProvider({
  name: 'http',
  settings: {
    HTTP_GATEWAY_URL: v.optional(v.pipe(v.string(), v.url('must be an absolute URL'))),
    HTTP_GATEWAY_SECRET: v.optional(
      v.pipe(
        v.string(),
        v.regex(/^whsec_[A-Za-z0-9+/]{32,}={0,2}$/, 'must be whsec_ followed by a base64 key of at least 24 bytes'),
      ),
    ),
    HTTP_GATEWAY_TIMEOUT_MS: int(500, 60_000, 10_000),
    HTTP_GATEWAY_MAX_RETRIES: int(0, 5, 2),
  },
  channels: ['sms', 'call', 'whatsapp'],
  configuredBy: (input) => Boolean(input['HTTP_GATEWAY_URL']),
  requires: 'HTTP_GATEWAY_URL and HTTP_GATEWAY_SECRET',
  check(input) {
    if (Boolean(input['HTTP_GATEWAY_URL']) === Boolean(input['HTTP_GATEWAY_SECRET'])) return [];
    const missing = input['HTTP_GATEWAY_URL'] ? 'HTTP_GATEWAY_SECRET' : 'HTTP_GATEWAY_URL';
    const other = missing === 'HTTP_GATEWAY_URL' ? 'HTTP_GATEWAY_SECRET' : 'HTTP_GATEWAY_URL';
    return [[missing, `${missing} is required with ${other}`]];
  },
  async build(s, { logger }) {
    logger.info({ host: new URL(s.HTTP_GATEWAY_URL!).host }, 'HTTP gateway sender ready');
    const sender = createGatewaySender({
      url: s.HTTP_GATEWAY_URL!,
      secret: s.HTTP_GATEWAY_SECRET!,
      timeoutMs: s.HTTP_GATEWAY_TIMEOUT_MS,
      retry: { maxRetries: s.HTTP_GATEWAY_MAX_RETRIES },
    });
    return { sender, webhooks: [createGatewayWebhook(s.HTTP_GATEWAY_SECRET!)] };
  },
});
