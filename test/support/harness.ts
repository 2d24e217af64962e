// A verifier and app on memory adapters, a manual clock and a recording sender.
import { createManualClock } from '../../src/adapters/clock/manual-clock.ts';
import { createMemoryCodeStore } from '../../src/adapters/keyed-stores/memory-code-store.ts';
import { createMemorySendLimitStore } from '../../src/adapters/memory/memory-send-limit-store.ts';
import { createRecordingSender } from '../../src/adapters/memory/recording-sender.ts';
import { createCodeHasher } from '../../src/adapters/web-crypto/code-hasher.ts';
import { createVerifier } from '../../src/application/verifier.ts';
import type { VerificationEvent } from '../../src/domain/events.ts';
import { definePolicy, type VerificationPolicy } from '../../src/domain/policy.ts';
import { type AppDeps, createApp } from '../../src/http/create-app.ts';
import { createLogEventSink } from '../../src/logging/log-events.ts';
import type { CodeStore } from '../../src/ports/code-store.ts';
import type { FraudStore } from '../../src/ports/fraud-store.ts';
import type { Metrics } from '../../src/ports/metrics.ts';
import type { SendLimitStore } from '../../src/ports/send-limit-store.ts';
import { captured, capturingLogger } from './log-capture.ts';

export const PHONE = '+14155552671';
export const SECRET = 'test-secret-0123456789abcdef';

export interface HarnessOptions {
  policy?: Partial<VerificationPolicy>;
  secrets?: string[];
  codes?: CodeStore;
  limits?: SendLimitStore;
  /** The fraud guard's store; absent, the guard is off. */
  fraud?: FraudStore;
  app?: Omit<AppDeps, 'verifier'>;
  metrics?: Metrics;
}

export async function createHarness(options: HarnessOptions = {}) {
  const clock = createManualClock(new Date('2026-03-01T12:00:00.000Z'));
  const sender = createRecordingSender();
  const codes = options.codes ?? createMemoryCodeStore();
  const limits = options.limits ?? createMemorySendLimitStore();
  const events: VerificationEvent[] = [];
  const logger = options.app?.logger ?? capturingLogger();
  const logEvents = createLogEventSink(logger);
  captured.forbidden.secrets.add(SECRET);
  for (const secret of options.secrets ?? []) captured.forbidden.secrets.add(secret);
  const send = sender.send.bind(sender);
  sender.send = async (message) => {
    captured.forbidden.phones.add(message.to);
    const code = /\b(\d{4,10})\b/.exec(message.text)?.[1];
    if (code) captured.forbidden.codes.add(code);
    return send(message);
  };
  const policy = definePolicy(options.policy);
  const verifier = createVerifier({
    codes,
    limits,
    sender,
    clock,
    policy,
    fraud: options.fraud,
    hasher: await createCodeHasher(options.secrets ?? [SECRET]),
    events: {
      emit: (event) => {
        events.push(event);
        logEvents.emit(event);
        options.metrics?.event(event);
      },
    },
  });
  const app = createApp({ verifier, metrics: options.metrics, ...options.app, logger });
  /** Sends a code to `phone` and returns the code the fake phone received. */
  const sendCode = async (phone = PHONE) => {
    const result = await verifier.start({ phone });
    if (!result.ok) throw new Error(`send failed: ${result.error.name}`);
    return sender.lastCode(phone)!;
  };
  /** A well-formed code that is not `code`. */
  const wrong = (code: string) => code.replace(/.$/, (d) => String((Number(d) + 1) % 10));
  return { clock, sender, codes, limits, events, policy, verifier, app, sendCode, wrong };
}
