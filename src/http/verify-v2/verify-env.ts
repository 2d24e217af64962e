// The Hono environment of the Verify v2 routes: the request id, and the caller's account SID.
import type { RequestIdVariables } from 'hono/request-id';

export type VerifyEnv = { Variables: RequestIdVariables & { accountSid: string } };
