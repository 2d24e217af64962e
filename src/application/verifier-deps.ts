// What the verification use cases need: the ports, the rules and the secrets.

import type { VerificationPolicy } from '../domain/policy.ts';
import type { RandomBytes } from '../domain/random.ts';
import type { Clock } from '../ports/clock.ts';
import type { CodeHasher } from '../ports/code-hasher.ts';
import type { CodeStore } from '../ports/code-store.ts';
import type { EventSink } from '../ports/events.ts';
import type { FraudStore } from '../ports/fraud-store.ts';
import type { MessageSender } from '../ports/message-sender.ts';
import type { SendLimitStore } from '../ports/send-limit-store.ts';

export interface VerifierDeps {
  readonly codes: CodeStore;
  readonly limits: SendLimitStore;
  readonly sender: MessageSender;
  readonly clock: Clock;
  readonly hasher: CodeHasher;
  readonly policy: VerificationPolicy;
  readonly events?: EventSink | undefined;
  readonly random?: RandomBytes | undefined;
  /** Conversion counts and blocks; absent: the fraud guard is off whatever the policy says. */
  readonly fraud?: FraudStore | undefined;
}
