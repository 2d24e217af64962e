// The domain's rules from parsed settings.
import type { CountryRule } from '../domain/fraud/fraud-policy.ts';
import type { NumberType } from '../domain/phone/number-types.ts';
import { definePolicy, type VerificationPolicy } from '../domain/policy.ts';
import { parseWorkflow, type Workflow } from '../domain/verification/workflow.ts';
import type { Settings } from './settings.ts';

/** A workflow the settings schema already checked. */
const workflowOf = (text: string): Workflow => {
  const parsed = parseWorkflow(text);
  if (!parsed.ok) throw new Error(`FALLBACK_WORKFLOW ${parsed.error}`);
  return parsed.workflow;
};

export function policyFromSettings(s: Settings): VerificationPolicy {
  return definePolicy({
    codeLength: s.CODE_LENGTH,
    codeTtlSeconds: s.CODE_TTL_SECONDS,
    maxCheckAttempts: s.MAX_CHECK_ATTEMPTS,
    verifiedTtlSeconds: s.VERIFIED_TTL_SECONDS,
    retentionSeconds: s.RETENTION_SECONDS,
    sendLimit: s.SEND_LIMIT,
    sendWindowSeconds: s.SEND_WINDOW_SECONDS,
    resendCooldownSeconds: s.RESEND_COOLDOWN_SECONDS,
    ipSendLimit: s.IP_SEND_LIMIT,
    ipSendWindowSeconds: s.IP_SEND_WINDOW_SECONDS,
    ipV6PrefixLength: s.IP_V6_PREFIX_LENGTH,
    prefixSendLimit: s.PREFIX_SEND_LIMIT,
    prefixSendWindowSeconds: s.PREFIX_SEND_WINDOW_SECONDS,
    dailySendBudget: s.DAILY_SEND_BUDGET ?? null,
    defaultCountry: s.DEFAULT_COUNTRY,
    allowedCountries: s.ALLOWED_COUNTRIES,
    // Checked against NUMBER_TYPES by the settings schema.
    ...(s.ALLOWED_NUMBER_TYPES ? { allowedNumberTypes: s.ALLOWED_NUMBER_TYPES as NumberType[] } : {}),
    testCodes: new Map((s.TEST_CODES ?? []).map((pair) => pair.split('=') as [string, string])),
    ...(s.FALLBACK_WORKFLOW ? { workflow: workflowOf(s.FALLBACK_WORKFLOW) } : {}),
    message: {
      appName: s.APP_NAME,
      template: s.SMS_TEMPLATE,
      webotpDomain: s.WEBOTP_DOMAIN,
      androidAppHash: s.ANDROID_APP_HASH,
    },
    fraud: {
      mode: s.FRAUD_GUARD,
      // Checked as upper-cased CC=RULE or +CODE=RULE pairs by the settings schema.
      countryRules: new Map(
        (s.FRAUD_COUNTRY_RULES ?? []).map((pair) => {
          const [where, rule] = pair.split('=') as [string, string];
          return [where, rule.toLowerCase() as CountryRule];
        }),
      ),
      safeList: s.FRAUD_SAFE_LIST ?? [],
      minSends: s.FRAUD_MIN_SENDS,
      minConversion: s.FRAUD_MIN_CONVERSION,
      countryFraction: s.FRAUD_COUNTRY_FRACTION,
      windowSeconds: s.FRAUD_WINDOW_SECONDS,
      blockSeconds: s.FRAUD_BLOCK_SECONDS,
      countrySurge: s.FRAUD_COUNTRY_SURGE,
    },
  });
}
