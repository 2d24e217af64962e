// The package's main entry: the app, the domain and the runtime-neutral adapters, for embedding.

export { createManualClock, type ManualClock } from './adapters/clock/manual-clock.ts';
export { systemClock } from './adapters/clock/system-clock.ts';
export { createConsoleSender } from './adapters/console/console-sender.ts';
export { createMemoryCodeStore } from './adapters/keyed-stores/memory-code-store.ts';
export { createMemoryLimitLedger } from './adapters/keyed-stores/memory-limit-ledger.ts';
export { createMemorySendLimitStore } from './adapters/memory/memory-send-limit-store.ts';
export { createRecordingSender, type RecordingSender } from './adapters/memory/recording-sender.ts';
export { createTwilioFetchSender } from './adapters/twilio/twilio-fetch-sender.ts';
export {
  createTwilioWebhook,
  TWILIO_STATUS_PATH,
  type TwilioWebhookOptions,
} from './adapters/twilio/twilio-webhook.ts';
export { createWebCryptoTwilioVerifier } from './adapters/twilio/webcrypto-signature.ts';
export { createCodeHasher } from './adapters/web-crypto/code-hasher.ts';
export { createSendLimitEngine } from './application/limit-engine.ts';
export { scopeCodeStore, scopeSendLimits } from './application/service-scope.ts';
export { createVerifier, type Verifier } from './application/verifier.ts';
export type { VerifierDeps } from './application/verifier-deps.ts';
export { type DomainError, ERRORS, type ErrorName, type Result } from './domain/errors.ts';
export type { VerificationEvent, VerificationEventType } from './domain/events.ts';
export type { Admission, LimitState, SendLimit } from './domain/limits/send-limit.ts';
export { renderMessage } from './domain/message/message.ts';
export { countSegments } from './domain/message/sms-segments.ts';
export { type Phone, parsePhone } from './domain/phone/phone.ts';
export { DEFAULT_POLICY, definePolicy, type MessagePolicy, type VerificationPolicy } from './domain/policy.ts';
export { generateCode } from './domain/verification/code.ts';
export type { DeliveryReport } from './domain/verification/delivery.ts';
export type { Delivery, DeliveryStatus, VerificationRecord } from './domain/verification/verification-record.ts';
export { type AppDeps, type AppType, createApp, MAX_BODY_BYTES } from './http/create-app.ts';
export type { DocsAssets } from './http/docs-page.ts';
export { buildOpenApiDocument } from './http/openapi.ts';
export type { ServedService } from './http/served-service.ts';
export type { Clock } from './ports/clock.ts';
export type { CodeHasher } from './ports/code-hasher.ts';
export type { CodeStore } from './ports/code-store.ts';
export type { DeliveryWebhook, WebhookOutcome, WebhookRequest } from './ports/delivery-webhook.ts';
export type { EventSink } from './ports/events.ts';
export type { ChargeResult, LimitLedger, LimitSnapshot } from './ports/limit-ledger.ts';
export type { Logger } from './ports/logger.ts';
export type { MessageSender, OutgoingMessage, SendOutcome } from './ports/message-sender.ts';
export type { Metrics } from './ports/metrics.ts';
export type { SendLimitStore } from './ports/send-limit-store.ts';
export type { SignatureVerifier } from './ports/signature-verifier.ts';
export { StoreUnavailableError } from './ports/store-unavailable.ts';
export { createService, type Service, type ServiceAdapters } from './service.ts';
