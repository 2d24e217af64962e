// Node-only adapters: MongoDB, the Twilio SDK and prom-client.
export { createMongoStores, type MongoStores, type MongoStoresOptions } from './adapters/mongodb/mongo-stores.ts';
export { createNodeCodeHasher } from './adapters/node-crypto/node-code-hasher.ts';
export { createPrometheusMetrics } from './adapters/prometheus/prometheus-metrics.ts';
export { createSdkTwilioVerifier } from './adapters/twilio/sdk-signature.ts';
export type { TwilioSenderOptions } from './adapters/twilio/twilio-config.ts';
export { createTwilioSdkSender } from './adapters/twilio/twilio-sdk-sender.ts';
export { type ComposeOptions, composeService, readServicesFile } from './compose.ts';
export { parseServicesFile, type ServiceConfig, type ServicesResult } from './config/services-file.ts';
export { parseSettings, type Settings } from './config/settings.ts';
