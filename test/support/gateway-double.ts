// A local HTTP gateway on 127.0.0.1 that checks each message's Standard Webhooks signature, records it, and misbehaves on request.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { listenOnLoopback } from './loopback-server.ts';

export const GATEWAY_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

export interface GatewayMessage {
  readonly id: string;
  readonly channel: string;
  readonly to: string;
  readonly text: string;
  /** The raw request, for checks by hand. */
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface GatewayDouble {
  readonly url: string;
  readonly received: GatewayMessage[];
  /** Every request that reached it, signed or not. */
  requests: number;
  /** Requests whose signature the package refused. */
  readonly forged: number;
  /** Answers the next `times` requests with `status` (and the body `{"error": ...}`). */
  failNext(times: number, status: number): void;
  /** Holds the next request for `ms` before answering it. */
  stallNext(ms: number): void;
  close(): Promise<void>;
}

export async function startGatewayDouble(secret = GATEWAY_SECRET): Promise<GatewayDouble> {
  const verifier = new Webhook(secret);
  const behaviours: ({ kind: 'status'; status: number } | { kind: 'stall'; ms: number })[] = [];
  const received: GatewayMessage[] = [];
  const state = { requests: 0, forged: 0 };
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    state.requests += 1;
    let body = '';
    for await (const chunk of req) body += chunk;
    const headers = Object.fromEntries(
      ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((n) => [n, String(req.headers[n] ?? '')]),
    );
    const send = (status: number, answer: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(answer));
    };
    let event: { data: { id: string; channel: string; to: string; text: string } };
    try {
      event = verifier.verify(body, headers) as typeof event;
    } catch {
      state.forged += 1;
      return send(401, { error: 'bad signature' });
    }
    const behaviour = behaviours.shift();
    if (behaviour?.kind === 'status') return send(behaviour.status, { error: `told to answer ${behaviour.status}` });
    if (behaviour?.kind === 'stall') await new Promise((r) => setTimeout(r, behaviour.ms));
    received.push({ ...event.data, headers, body });
    if (!res.destroyed) send(202, { messageId: `gw-${received.length}` });
  });
  const loopback = await listenOnLoopback(server);
  return {
    url: `${loopback.origin}/messages`,
    received,
    get requests() {
      return state.requests;
    },
    set requests(n) {
      state.requests = n;
    },
    get forged() {
      return state.forged;
    },
    failNext(times, status) {
      for (let i = 0; i < times; i++) behaviours.push({ kind: 'status', status });
    },
    stallNext(ms) {
      behaviours.push({ kind: 'stall', ms });
    },
    close: loopback.close,
  };
}
