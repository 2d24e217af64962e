// A service as the HTTP adapters serve it: its id, what GET /v2/Services/{sid} shows, its use cases.
import type { Verifier } from '../application/verifier.ts';

export interface ServedService {
  /** `VA` + 32 hex; the same on /v1/services/{sid} and /v2/Services/{sid}. */
  readonly sid: string;
  readonly friendlyName: string;
  readonly codeLength: number;
  readonly customCodeEnabled: boolean;
  readonly createdAt: Date;
  /** The use cases over this service's rules and its own codes and per-phone limits. */
  readonly verifier: Verifier;
}

/** Finds a service by its id. */
export const serviceIndex = (services: readonly ServedService[] = []) => {
  const bySid = new Map(services.map((service) => [service.sid, service]));
  return (sid: string | undefined) => (sid === undefined ? undefined : bySid.get(sid));
};
