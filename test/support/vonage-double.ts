// A local double of Vonage's SMS API (POST /sms/json) on 127.0.0.1: checks Basic auth, records, misbehaves on request.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export const VONAGE_KEY = 'abcd1234';
export const VONAGE_SECRET = 'vonage-api-secret-0123456789';

export interface VonageMessage {
  readonly id: string;
  readonly to: string;
  readonly from: string;
  readonly text: string;
  readonly callback?: string;
}

type Behaviour =
  | { kind: 'status'; status: string; text: string }
  | { kind: 'http'; status: number }
  | { kind: 'stall'; ms: number };

export interface VonageDouble {
  readonly url: string;
  readonly received: VonageMessage[];
  requests: number;
  /** Answers the next `times` messages with this SMS API status (200, status non-zero). */
  failStatus(times: number, status: string, text: string): void;
  /** Answers the next `times` requests with this HTTP status. */
  failHttp(times: number, status: number): void;
  stallNext(ms: number): void;
  close(): Promise<void>;
}

export async function startVonageDouble(): Promise<VonageDouble> {
  const behaviours: Behaviour[] = [];
  const received: VonageMessage[] = [];
  const state = { requests: 0 };
  const expected = `Basic ${Buffer.from(`${VONAGE_KEY}:${VONAGE_SECRET}`).toString('base64')}`;
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    state.requests += 1;
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || req.url !== '/sms/json') return send(404, { error: 'not found' });
    if (req.headers.authorization !== expected)
      return send(200, { 'message-count': '1', messages: [{ status: '4', 'error-text': 'Bad Credentials' }] });
    const body = JSON.parse(raw) as Record<string, string>;
    const behaviour = behaviours.shift();
    if (behaviour?.kind === 'http') return send(behaviour.status, { type: 'error', title: 'Service Unavailable' });
    if (behaviour?.kind === 'status')
      return send(200, {
        'message-count': '1',
        messages: [{ to: body['to'], status: behaviour.status, 'error-text': behaviour.text }],
      });
    if (behaviour?.kind === 'stall') await new Promise((r) => setTimeout(r, behaviour.ms));
    if (!body['to'] || !body['from'] || !body['text'])
      return send(200, { 'message-count': '1', messages: [{ status: '2', 'error-text': 'Missing to, from or text' }] });
    const id = randomBytes(8).toString('hex').toUpperCase();
    received.push({
      id,
      to: body['to'],
      from: body['from'],
      text: body['text'],
      ...(body['callback'] ? { callback: body['callback'] } : {}),
    });
    if (res.destroyed) return;
    send(200, {
      'message-count': '1',
      messages: [
        {
          to: body['to'],
          'message-id': id,
          status: '0',
          'remaining-balance': '10.0',
          'message-price': '0.01',
          network: '310260',
        },
      ],
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    get requests() {
      return state.requests;
    },
    set requests(n) {
      state.requests = n;
    },
    failStatus(times, status, text) {
      for (let i = 0; i < times; i++) behaviours.push({ kind: 'status', status, text });
    },
    failHttp(times, status) {
      for (let i = 0; i < times; i++) behaviours.push({ kind: 'http', status });
    },
    stallNext(ms) {
      behaviours.push({ kind: 'stall', ms });
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
