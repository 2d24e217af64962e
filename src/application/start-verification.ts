// Use case: send a new code to a phone, within every send limit.

import { fail, ok, type Result } from '../domain/errors.ts';
import { conversionPrefix } from '../domain/fraud/conversion.ts';
import type { FraudBlock } from '../domain/fraud/fraud-block.ts';
import { parseIp } from '../domain/limits/ip.ts';
import { admits, retryAfterSeconds } from '../domain/limits/limit-arithmetic.ts';
import { limitReason, sendLimits } from '../domain/limits/limit-rules.ts';
import { renderMessage, renderSpoken } from '../domain/message/message.ts';
import { localeForCountry } from '../domain/message/message-templates.ts';
import { APP_NAME_MAX, isSafeName } from '../domain/message/message-text.ts';
import { parsePhone, phoneTail } from '../domain/phone/phone.ts';
import { randomId } from '../domain/random.ts';
import { isStoreUnavailable } from '../domain/store-outage.ts';
import { CHANNELS, type Channel } from '../domain/verification/channel.ts';
import { CODE_RULE, isWellFormedCode } from '../domain/verification/code.ts';
import type { SendAttempt, VerificationRecord } from '../domain/verification/verification-record.ts';
import { precheckSend } from './fraud-guard.ts';
import { sendCharges } from './send-charges.ts';
import { codeToSend, withAttempt } from './send-code.ts';
import type { VerifierDeps } from './verifier-deps.ts';

export interface StartInput {
  readonly phone: string;
  readonly country?: string | undefined;
  readonly locale?: string | undefined;
  readonly ip?: string | undefined;
  /** The code to send instead of a generated one; only where the policy allows custom codes. */
  readonly code?: string | undefined;
  /** `{app}` in this message instead of the service's name (Twilio's CustomFriendlyName). */
  readonly appName?: string | undefined;
  /** The Android SMS Retriever hash for this message instead of the service's (Twilio's AppHash). */
  readonly appHash?: string | undefined;
  /** How the code goes out: sms (the default, or the fallback workflow's first channel), call or whatsapp. */
  readonly channel?: Channel | undefined;
  /** Set by the fallback scheduler: send only as a resend of this verification, never a new code. */
  readonly resendOf?: string | undefined;
}

export interface StartedVerification {
  readonly phone: string;
  readonly status: 'pending';
  readonly createdAt: Date;
  readonly expiresAt: Date;
  /** When another send to this phone would next be admitted. */
  readonly resendAt: Date;
  readonly sendsRemaining: number;
  readonly attemptsRemaining: number;
  /** Every send of this verification's code, this one included. */
  readonly sendAttempts: readonly SendAttempt[];
}

/** Every expected failure of a send; the API document and the result type derive from this list. */
export const START_ERRORS = [
  'MALFORMED_REQUEST',
  'INVALID_PHONE',
  'COUNTRY_NOT_ALLOWED',
  'NUMBER_TYPE_NOT_ALLOWED',
  'FRAUD_BLOCKED',
  'RATE_LIMITED',
  'DESTINATION_REFUSED',
  'PROVIDER_FAILED',
  'CHANNEL_UNAVAILABLE',
] as const;
type StartError = (typeof START_ERRORS)[number];

/**
 * Admits the send against every limit (charging all or none), saves the new code (replacing the
 * phone's previous verification) and only then hands the SMS to the provider, so a code that
 * reaches a phone is always checkable. When no provider took the message the previous
 * verification is put back as it was; a provider failure also refunds the charge: the send never
 * happened, so it neither counts nor starts a cooldown.
 */
export async function startVerification(
  deps: VerifierDeps,
  input: StartInput,
): Promise<Result<StartedVerification, StartError>> {
  const { policy, clock } = deps;
  if (input.code !== undefined) {
    if (!policy.customCodes) return fail('MALFORMED_REQUEST', 'Custom codes are not enabled for this service.');
    if (!isWellFormedCode(input.code))
      return fail('MALFORMED_REQUEST', `A custom code ${CODE_RULE}.`, { fields: ['code'] });
  }
  const { appName } = input;
  if (appName !== undefined && (appName.length < 1 || appName.length > APP_NAME_MAX || !isSafeName(appName)))
    return fail(
      'MALFORMED_REQUEST',
      `The app name must be 1 to ${APP_NAME_MAX} characters, with no control or bidirectional-override characters.`,
      { fields: ['appName'] },
    );
  if (input.appHash !== undefined && !/^[A-Za-z0-9+/]{11}$/.test(input.appHash))
    return fail('MALFORMED_REQUEST', 'The app hash must be the 11 characters Android SMS Retriever computes.', {
      fields: ['appHash'],
    });
  // One address or none: a list or a padded value would have no limit key and slip past the per-IP limit.
  if (input.ip !== undefined && parseIp(input.ip) === null)
    return fail('MALFORMED_REQUEST', 'The end-user IP must be one IPv4 or IPv6 address.', { fields: ['ip'] });
  const parsed = parsePhone(input.phone, input.country, policy);
  if (!parsed.ok) return parsed;
  const { e164: phone, country, type: numberType } = parsed.value;
  const tail = phoneTail(phone);
  const now = clock.now();

  const testCode = policy.testCodes.get(phone);
  if (testCode === undefined && !policy.allowedNumberTypes.includes(numberType)) {
    deps.events?.emit({ type: 'number_type_refused', phoneTail: tail, country, numberType });
    return fail('NUMBER_TYPE_NOT_ALLOWED', `Numbers of type ${numberType} get no codes.`, { numberType });
  }
  if (testCode !== undefined) {
    const { record, resend } = await codeToSend(deps, phone, now, { fixed: testCode, keep: true });
    if (!resend) await deps.codes.put(record);
    deps.events?.emit({ type: 'test_code_issued', phoneTail: tail, country });
    return ok(started(record, deps, policy.sendLimit, now, record.sendAttempts ?? []));
  }

  const channel = input.channel ?? policy.workflow?.[0]?.channel ?? 'sms';
  // A channel the service does not allow, or that no provider sends, is refused before any limit.
  const offered = CHANNELS.filter((c) => deps.sender.channels.includes(c) && (policy.channels ?? CHANNELS).includes(c));
  if (!offered.includes(channel))
    return fail('CHANNEL_UNAVAILABLE', `Channel ${channel} is not offered here; offered: ${offered.join(', ')}.`, {
      channel,
      available: offered,
    });

  const precheck = await precheckSend(deps, parsed.value, now);
  if (precheck.refused) return fraudBlocked(precheck.refused, now);
  const limits = sendLimits(policy, phone, input.ip, now);
  const chargeId = randomId(deps.random);
  const admission = await deps.limits.admit(chargeId, limits, now);
  if (!admission.admitted) {
    const retryAfter = retryAfterSeconds(admission.states, now.getTime());
    // States come in the order of the limits.
    const reasons = admission.states.flatMap((s, i) =>
      admits(s, now.getTime()) ? [] : [limitReason(limits[i]!, s.remaining)],
    );
    deps.events?.emit({ type: 'rate_limited', phoneTail: tail, country, reasons });
    return fail('RATE_LIMITED', `Too many codes sent; try again in ${retryAfter} s.`, { retryAfter });
  }
  const charges = sendCharges();
  charges.add('limits', async () => {
    // A failed refund must not change the answer (the send did not happen either way): it is
    // reported, and the charge lapses with its window.
    await deps.limits.refund(chargeId, limits).catch((error: unknown) => {
      if (!isStoreUnavailable(error)) throw error;
      deps.events?.emit({ type: 'refund_failed', phoneTail: tail, country });
    });
  });
  const screening = await precheck.count().catch(async (error: unknown) => {
    await charges.undo();
    throw error;
  });
  if (!screening.admitted) {
    await charges.undo();
    return fraudBlocked(screening.block, now);
  }
  charges.add('count', screening.release);

  // A custom code is the caller's choice: it always starts a new verification.
  const { record, code, resend } = await codeToSend(deps, phone, now, {
    fixed: input.code,
    keep: input.code === undefined,
  }).catch(async (error: unknown) => {
    await charges.undo();
    throw error;
  });
  if (input.resendOf !== undefined && (!resend || record.id !== input.resendOf)) {
    // Approved, cancelled or replaced since the step was claimed: a fallback sends nothing new.
    await charges.undo();
    return fail('MALFORMED_REQUEST', 'The verification is no longer pending: the fallback step is dropped.');
  }
  if (!resend) {
    const sealed = input.code === undefined ? record : { ...record, customCode: true };
    const replaced = await deps.codes.put(sealed).catch(async (error: unknown) => {
      await charges.undo();
      throw error;
    });
    // No provider took the message, so nobody can have the new code: the phone's previous
    // verification comes back exactly as it was (its code still works, its attempts are not
    // reset), or a failed send would be a free reset of the guess count. A resend saved nothing.
    charges.add('verification', async () => {
      await deps.codes.restore(phone, record.id, replaced).catch((error: unknown) => {
        if (!isStoreUnavailable(error)) throw error;
        deps.events?.emit({ type: 'restore_failed', phoneTail: tail, country });
      });
    });
  }

  const message = {
    ...policy.message,
    appName: input.appName ?? policy.message.appName,
    androidAppHash: input.appHash ?? policy.message.androidAppHash,
  };
  // With no locale asked for, the number's country's language where a template speaks it (a
  // Brazilian number gets Portuguese, as Twilio does), else the service's.
  const locale = input.locale ?? localeForCountry(country);
  const values = { code, ttlSeconds: policy.codeTtlSeconds, locale };
  const text = channel === 'call' ? renderSpoken(message, values) : renderMessage(message, values);
  const { callingCode } = parsed.value;
  const route = policy.routes?.get(country ?? '') ?? policy.routes?.get(`+${callingCode}`);
  const outgoing = { to: phone, text, channel, code, locale, country, callingCode, route } as const;
  const outcome = await deps.sender.send(outgoing).catch(async (error: unknown) => {
    await charges.undo();
    throw error;
  });
  if (!outcome.ok) {
    const { providerCode, provider } = outcome;
    if (outcome.reason === 'provider_failed') {
      // A message whose fate is unknown (a timeout) may still arrive: its code stays the one that
      // works. Its attempts start afresh, which the phone's own guess window still bounds.
      await (outcome.fate === 'unknown' ? charges.undo('count', 'limits') : charges.undo());
      deps.events?.emit({ type: 'provider_failed', phoneTail: tail, country, provider, channel, providerCode });
      return fail('PROVIDER_FAILED', 'The SMS provider did not take the message; nothing was charged, try again.', {
        providerCode: providerCode ?? null,
      });
    }
    if (outcome.reason === 'channel_unavailable') {
      await charges.undo();
      return fail('CHANNEL_UNAVAILABLE', outcome.detail, { channel, available: offered.filter((c) => c !== channel) });
    }
    // Charged against the limits (a refused destination can be probed), but no message went out
    // that anyone could have converted: it is not counted as a send by the fraud guard.
    await charges.undo('verification', 'count');
    deps.events?.emit({ type: 'destination_refused', phoneTail: tail, country, provider, channel, providerCode });
    return fail('DESTINATION_REFUSED', outcome.detail, { providerCode: providerCode ?? null });
  }
  // The message is out and the code is saved: a store failure here loses only the attempt's record
  // and delivery tracking, and must not answer SMS_009, which would make the client send again.
  const attempt = { channel, provider: outcome.provider, time: clock.now() };
  await deps.codes.recordSend(phone, record.id, { attempt, messageId: outcome.messageId }).catch((error: unknown) => {
    if (!isStoreUnavailable(error)) throw error;
  });
  deps.events?.emit(
    {
      type: 'sent',
      phoneTail: tail,
      country,
      provider: outcome.provider,
      channel,
      verificationId: record.id,
      resend,
      messageId: outcome.messageId,
      prefix: conversionPrefix(parsed.value),
    },
    { phone, createdAt: record.createdAt },
  );

  const phoneState = admission.states[0]!;
  const resendAt = new Date(Math.max(...admission.states.map((s) => s.availableAt.getTime())));
  return ok({ ...started(record, deps, phoneState.remaining, now, withAttempt(record, attempt)), resendAt });
}

function fraudBlocked(block: FraudBlock, now: Date) {
  const retryAfter = Math.max(1, Math.ceil((block.until.getTime() - now.getTime()) / 1000));
  return fail(
    'FRAUD_BLOCKED',
    `Sends to this number range are blocked by the fraud guard until ${block.until.toISOString()}.`,
    {
      retryAfter,
    },
  );
}

function started(
  record: VerificationRecord,
  deps: VerifierDeps,
  sendsRemaining: number,
  now: Date,
  sendAttempts: readonly SendAttempt[],
): StartedVerification {
  return {
    phone: record.phone,
    status: 'pending',
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    resendAt: now,
    sendsRemaining,
    attemptsRemaining: Math.max(0, deps.policy.maxCheckAttempts - record.attempts),
    sendAttempts,
  };
}
