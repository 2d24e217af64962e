// The verification rules' numbers, as settings give them; defaults are SPEC section 1's.
import { DEFAULT_FRAUD_POLICY, type FraudPolicy } from './fraud/fraud-policy.ts';
import { DEFAULT_ALLOWED_NUMBER_TYPES, type NumberType } from './phone/number-types.ts';
import type { Channel } from './verification/channel.ts';
import type { Workflow } from './verification/workflow.ts';

export interface MessagePolicy {
  readonly appName: string;
  /** With `{code}`, `{minutes}` and `{app}`; undefined uses the built-in text in the request's locale. */
  readonly template?: string | undefined;
  /** Adds the WebOTP line `@domain #code` so browsers can fill the code in. */
  readonly webotpDomain?: string | undefined;
  /** The 11-character hash Android's SMS Retriever API matches the message to the app by. */
  readonly androidAppHash?: string | undefined;
  /** The built-in text's language when a send names none (a service's locale). */
  readonly defaultLocale?: string | undefined;
}

export interface VerificationPolicy {
  readonly codeLength: number;
  readonly codeTtlSeconds: number;
  readonly maxCheckAttempts: number;
  readonly verifiedTtlSeconds: number;
  readonly retentionSeconds: number;
  readonly sendLimit: number;
  readonly sendWindowSeconds: number;
  readonly resendCooldownSeconds: number;
  readonly ipSendLimit: number;
  readonly ipSendWindowSeconds: number;
  /** IPv6 addresses count per prefix of this many bits (one subscriber usually holds a /64). */
  readonly ipV6PrefixLength: number;
  readonly prefixSendLimit: number;
  readonly prefixSendWindowSeconds: number;
  /** Sends across the service per UTC day; null is unlimited. */
  readonly dailySendBudget: number | null;
  readonly defaultCountry?: string | undefined;
  readonly allowedCountries?: readonly string[] | undefined;
  /** Kinds of number that get codes (ALLOWED_NUMBER_TYPES); test numbers are not held to it. */
  readonly allowedNumberTypes: readonly NumberType[];
  /** E.164 → fixed code: no SMS, no send limits; expiry and attempts still apply. */
  readonly testCodes: ReadonlyMap<string, string>;
  /** Whether a send may bring its own code (Twilio's CustomCode) instead of a generated one. */
  readonly customCodes: boolean;
  readonly message: MessagePolicy;
  /** The fraud guard (conversion blocks, per-country rules, safe list). */
  readonly fraud: FraudPolicy;
  /** FALLBACK_WORKFLOW (or `workflow` in SERVICES_FILE): the channels a code goes out on by itself; absent: none. */
  readonly workflow?: Workflow | undefined;
  /** The channels this service sends on (`channels` in SERVICES_FILE); absent: every channel. */
  readonly channels?: readonly Channel[] | undefined;
  /** This service's own provider order per country (`routes` in SERVICES_FILE); else SMS_ROUTES decide. */
  readonly routes?: ReadonlyMap<string, readonly string[]> | undefined;
}

export const DEFAULT_POLICY: VerificationPolicy = {
  codeLength: 6,
  codeTtlSeconds: 600,
  maxCheckAttempts: 5,
  verifiedTtlSeconds: 86_400,
  retentionSeconds: 86_400,
  sendLimit: 5,
  sendWindowSeconds: 3_600,
  resendCooldownSeconds: 30,
  allowedNumberTypes: DEFAULT_ALLOWED_NUMBER_TYPES,
  ipSendLimit: 20,
  ipSendWindowSeconds: 3_600,
  ipV6PrefixLength: 64,
  prefixSendLimit: 20,
  prefixSendWindowSeconds: 3_600,
  dailySendBudget: null,
  testCodes: new Map(),
  customCodes: false,
  message: { appName: 'sms-verify' },
  fraud: DEFAULT_FRAUD_POLICY,
};

/** A policy from the defaults with some rules overridden (tests, embedding apps). */
export const definePolicy = (overrides: Partial<VerificationPolicy> = {}): VerificationPolicy => ({
  ...DEFAULT_POLICY,
  ...overrides,
});
