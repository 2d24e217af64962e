// The bounds of the rules a service may set, shared by the environment's settings and SERVICES_FILE
// so the two cannot drift apart.

import { MAX_CODE_LENGTH, MIN_CODE_LENGTH } from '../domain/verification/code.ts';

/** Inclusive bounds of each per-service number. */
export const RULE_RANGES = {
  codeLength: [MIN_CODE_LENGTH, MAX_CODE_LENGTH],
  codeTtlSeconds: [1, 86_400],
  maxCheckAttempts: [1, 100],
  sendLimit: [1, 1000],
  sendWindowSeconds: [1, 604_800],
  resendCooldownSeconds: [0, 3600],
} as const;

/** A Twilio-shaped service id, and what a bad one is told. */
export const SERVICE_SID = /^VA[0-9a-f]{32}$/;
export const SERVICE_SID_RULE = 'must be VA followed by 32 lowercase hex digits';

export { APP_NAME_MAX } from '../domain/message/message-text.ts';
