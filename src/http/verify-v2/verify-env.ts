// The Hono environment of the Verify v2 routes: the request id, the caller's account SID, the service.
import type { RequestIdVariables } from 'hono/request-id';
import type { ServedService } from '../served-service.ts';

export type VerifyEnv = { Variables: RequestIdVariables & { accountSid: string; service: ServedService } };
