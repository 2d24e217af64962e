// The typed client for callers of the HTTP API (`sms-verify/client`): the app's route types and
// hono/client, nothing else, so a caller's bundle carries no MongoDB driver, Twilio SDK or server.
import { hc } from 'hono/client';
import type { AppType } from './http/create-app.ts';

export type { AppType };
export type VerifyClient = ReturnType<typeof hc<AppType>>;

/** `hc<AppType>(baseUrl, options)`: every route, its JSON body and each answer's type, inferred. */
export function createVerifyClient(baseUrl: string, options?: Parameters<typeof hc>[1]): VerifyClient {
  return hc<AppType>(baseUrl, options);
}
