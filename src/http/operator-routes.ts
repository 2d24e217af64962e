// GET /v1/operator/status: the providers' circuits and the services, for the operator console.
import { Hono } from 'hono';
import type { AppEnv } from './app-env.ts';
import { type AdminAccess, requireAdminKey } from './fraud-routes.ts';
import { methodNotAllowed } from './problem.ts';
import type { ServedService } from './served-service.ts';

export interface OperatorStatus {
  readonly services: readonly ServedService[];
  /** Each provider's circuit (closed, half_open, open); absent with a single provider. */
  readonly circuits?: (() => Readonly<Record<string, string>>) | undefined;
}

export function operatorRoutes(status: OperatorStatus, access: AdminAccess) {
  return new Hono<AppEnv>()
    .use(requireAdminKey(access))
    .get('/status', (c) =>
      c.json(
        {
          providers: status.circuits?.() ?? {},
          services: status.services.map((s) => ({
            sid: s.sid,
            friendlyName: s.friendlyName,
            codeLength: s.codeLength,
            customCodeEnabled: s.customCodeEnabled,
          })),
        },
        200,
      ),
    )
    .all('/status', (c) => methodNotAllowed(c, 'GET'));
}
