// The Hono environment shared by the app's routes and middleware.
import type { RequestIdVariables } from 'hono/request-id';

export type AppEnv = { Variables: RequestIdVariables };
