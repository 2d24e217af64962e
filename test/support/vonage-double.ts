// A local double of Vonage's SMS API (POST /sms/json), Voice API (POST /v1/calls, JWT) and Messages
// API (POST /v1/messages) on 127.0.0.1: checks auth, records, misbehaves on request.
import { generateKeyPairSync, randomBytes, randomUUID, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './loopback-server.ts';

export const VONAGE_KEY = 'abcd1234';
export const VONAGE_SECRET = 'vonage-api-secret-0123456789';

/** A Vonage application for the Voice API: its id and key pair (the double checks JWTs against the public key). */
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const VONAGE_APPLICATION = {
  id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
  privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
};
const PUBLIC_KEY = keys.publicKey;

/** A call the Voice API took: whom, from where, and the talk action of its NCCO. */
export interface VonageCall {
  readonly uuid: string;
  readonly to: string;
  readonly from: string;
  readonly text: string;
  readonly language: string | undefined;
  readonly loop: number | undefined;
}

/** A WhatsApp message the Messages API took, and how it was authenticated. */
export interface VonageChatMessage {
  readonly uuid: string;
  readonly to: string;
  readonly from: string;
  readonly text: string;
  readonly auth: 'basic' | 'jwt';
}

/** Whether `header` carries an RS256 JWT signed by the application's key, naming it. */
function validJwt(header: string | undefined): boolean {
  const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
  const [head, payload, signature] = token?.split('.') ?? [];
  if (!head || !payload || !signature) return false;
  const signed = verify(
    'RSA-SHA256',
    Buffer.from(`${head}.${payload}`),
    PUBLIC_KEY,
    Buffer.from(signature, 'base64url'),
  );
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { application_id?: string };
  return signed && claims.application_id === VONAGE_APPLICATION.id;
}

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
  readonly calls: VonageCall[];
  readonly chats: VonageChatMessage[];
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
  const calls: VonageCall[] = [];
  const chats: VonageChatMessage[] = [];
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
    if (req.method === 'POST' && (req.url === '/v1/calls' || req.url === '/v1/messages')) {
      const jwt = validJwt(req.headers.authorization);
      // Calls need the application's JWT; messages take it or the account's key and secret.
      if (!jwt && (req.url === '/v1/calls' || req.headers.authorization !== expected))
        return send(401, { type: 'https://developer.nexmo.com/api-errors#unauthorized', title: 'Unauthorized' });
      const behaviour = behaviours.shift();
      if (behaviour?.kind === 'http') return send(behaviour.status, { title: 'Failed' });
      const body = JSON.parse(raw) as Record<string, unknown>;
      const uuid = randomUUID();
      if (req.url === '/v1/calls') {
        const to = (body['to'] as { number?: string }[] | undefined)?.[0]?.number;
        const from = (body['from'] as { number?: string } | undefined)?.number;
        const talk = (body['ncco'] as { action?: string; text?: string; language?: string; loop?: number }[])?.find(
          (a) => a.action === 'talk',
        );
        if (!to || !from || !talk?.text)
          return send(400, { title: 'Bad Request', detail: 'to, from and a talk action' });
        calls.push({ uuid, to, from, text: talk.text, language: talk.language, loop: talk.loop });
        return send(201, { uuid, status: 'started', direction: 'outbound', conversation_uuid: `CON-${uuid}` });
      }
      const { to, from, text, channel, message_type: type } = body as Record<string, string>;
      if (channel !== 'whatsapp' || type !== 'text' || !to || !from || !text)
        return send(422, { title: 'Invalid params', detail: 'a whatsapp text message with to, from and text' });
      chats.push({ uuid, to, from, text, auth: jwt ? 'jwt' : 'basic' });
      return send(202, { message_uuid: uuid });
    }
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
  const loopback = await listenOnLoopback(server);
  return {
    url: loopback.origin,
    received,
    calls,
    chats,
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
    close: loopback.close,
  };
}
