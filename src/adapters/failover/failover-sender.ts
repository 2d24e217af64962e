// Routing and failover across providers: a country's own order, a circuit breaker per provider.
import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleAll,
} from 'cockatiel';
import type { Channel } from '../../domain/verification/channel.ts';
import type { MessageSender, OutgoingMessage, SendOutcome } from '../../ports/message-sender.ts';

export type CircuitHealth = 'closed' | 'open' | 'half_open';

export interface FailoverOptions {
  /** Every provider a route may name, by name. */
  readonly senders: ReadonlyMap<string, MessageSender>;
  /** SMS_PROVIDER: the order for a country with no route of its own. */
  readonly order: readonly string[];
  /** SMS_ROUTES: a country's (or `+code`'s) own order. */
  readonly routes?: ReadonlyMap<string, readonly string[]> | undefined;
  /** Failures in a row that open a provider's circuit, and how long it stays open before a probe. */
  readonly breaker?: { readonly failures: number; readonly halfOpenAfterMs: number } | undefined;
  /** Told of each send a provider failed and the next one took over, for the log. */
  readonly onFailover?: ((from: string, reason: string) => void) | undefined;
  /** Told when a provider's circuit opens, half-opens (a probe) or closes again. */
  readonly onCircuit?: ((provider: string, state: CircuitHealth) => void) | undefined;
}

export interface FailoverSender extends MessageSender {
  /** Each provider's circuit, for /metrics and /readyz. */
  circuits(): Readonly<Record<string, CircuitHealth>>;
  /** Whether every route (the default order and each country's) has a provider whose circuit is not open. */
  usable(): boolean;
}

const HEALTH: Record<CircuitState, CircuitHealth> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'open',
};

/**
 * Sends through the message's route in order. The next provider is tried only when the one before
 * failed without taking the message (refused connection, 5xx or 429 after its own bounded
 * retries, an open circuit). A refused destination is final (another provider would refuse it
 * too, and it is charged), and so is a failure whose fate is unknown (a timeout: the message may
 * arrive, and a second provider would send a second SMS). Each provider's calls go through its own
 * circuit breaker: after `failures` failures in a row it is skipped at once, and after
 * `halfOpenAfterMs` one send probes it. The text, and so the code, is the same whoever sends it.
 */
export function createFailoverSender(options: FailoverOptions): FailoverSender {
  const { senders, order } = options;
  const breakers = new Map<string, CircuitBreakerPolicy>();
  const halfOpenAfterMs = options.breaker?.halfOpenAfterMs ?? 30_000;
  /** When each open circuit opened: until its probe is due, a send skips it without asking the breaker. */
  const openedAt = new Map<string, number>();
  for (const name of senders.keys()) {
    const breaker = circuitBreaker(
      handleAll.orWhenResult((r) => {
        const outcome = r as SendOutcome;
        return !outcome.ok && outcome.reason === 'provider_failed' && outcome.fate !== 'unknown';
      }),
      {
        halfOpenAfter: halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(options.breaker?.failures ?? 5),
      },
    );
    // Changes of state, not every skipped send: a send skipping an open circuit costs no log line.
    breaker.onStateChange((state) => {
      if (state === CircuitState.Open) openedAt.set(name, Date.now());
      else openedAt.delete(name);
      options.onCircuit?.(name, HEALTH[state]);
    });
    breakers.set(name, breaker);
  }
  const routeOf = (message: OutgoingMessage) =>
    message.route ??
    (message.country === undefined ? undefined : options.routes?.get(message.country)) ??
    (message.callingCode === undefined ? undefined : options.routes?.get(`+${message.callingCode}`)) ??
    order;
  const channels = [...new Set([...senders.values()].flatMap((s) => s.channels))] as Channel[];

  return {
    provider: 'failover',
    channels,
    async send(message) {
      const route = routeOf(message).filter((name) => senders.get(name)?.channels.includes(message.channel));
      if (route.length === 0) {
        return {
          ok: false,
          provider: routeOf(message)[0] ?? 'none',
          reason: 'channel_unavailable',
          detail: `No provider of the route sends ${message.channel}.`,
        };
      }
      const tried: string[] = [];
      let last: SendOutcome | null = null;
      for (const name of route) {
        // An open circuit whose probe is not yet due is skipped here: the breaker would only throw.
        const opened = openedAt.get(name);
        if (opened !== undefined && Date.now() - opened < halfOpenAfterMs) {
          tried.push(`${name} (circuit open)`);
          continue;
        }
        let outcome: SendOutcome;
        try {
          outcome = await breakers.get(name)!.execute(() => senders.get(name)!.send(message));
        } catch (error) {
          if (!(error instanceof BrokenCircuitError)) throw error;
          tried.push(`${name} (circuit open)`);
          continue;
        }
        if (outcome.ok || outcome.reason === 'destination_refused' || outcome.fate === 'unknown') return outcome;
        tried.push(`${name} (${outcome.providerCode ?? 'failed'})`);
        options.onFailover?.(name, outcome.providerCode ?? 'failed');
        last = outcome;
      }
      return {
        ok: false,
        provider: last?.provider ?? route[0] ?? order[0] ?? 'none',
        reason: 'provider_failed',
        providerCode: last?.providerCode ?? 'circuit_open',
        detail: `Every provider of the route failed without taking the message: ${tried.join(', ')}.`,
        fate: 'not_taken',
      };
    },
    circuits: () =>
      Object.fromEntries([...breakers].map(([name, breaker]) => [name, HEALTH[breaker.state]])) as Record<
        string,
        CircuitHealth
      >,
    usable() {
      const open = (name: string) => breakers.get(name)?.state === CircuitState.Open;
      return [order, ...(options.routes?.values() ?? [])].every((route) => route.some((name) => !open(name)));
    },
  };
}
