// A local double of Twilio's Messages API on 127.0.0.1: checks Basic auth, records messages, misbehaves on request.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './loopback-server.ts';

export const DOUBLE_SID = `AC${'0123456789abcdef'.repeat(2)}`;
export const DOUBLE_TOKEN = 'double-auth-token-0123456789';

export interface ReceivedMessage {
  readonly sid: string;
  /** As Twilio got it: `whatsapp:+…` for WhatsApp. */
  readonly to: string;
  /** The body; for a call, its TwiML; for a content template, its variables. */
  readonly text: string;
  readonly channel: 'sms' | 'whatsapp' | 'call';
  readonly contentSid?: string;
  readonly from?: string;
  readonly messagingServiceSid?: string;
  readonly statusCallback?: string;
}

type Behaviour = { kind: 'error'; status: number; code: number; message: string } | { kind: 'stall'; ms: number };

export interface TwilioDouble {
  readonly url: string;
  readonly received: ReceivedMessage[];
  /** Every request that reached the double, answered or not. */
  requests: number;
  /** Answers the next `times` requests with this Twilio error. */
  failNext(times: number, status: number, code: number, message?: string): void;
  /** Holds the next `times` requests for `ms` before answering them (success). */
  stallNext(times: number, ms: number): void;
  close(): Promise<void>;
}

export async function startTwilioDouble(): Promise<TwilioDouble> {
  const behaviours: Behaviour[] = [];
  const received: ReceivedMessage[] = [];
  const state = { requests: 0 };
  const expectedAuth = `Basic ${Buffer.from(`${DOUBLE_SID}:${DOUBLE_TOKEN}`).toString('base64')}`;

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    state.requests += 1;
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/(Messages|Calls)\.json$/.exec(req.url ?? '');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!match || req.method !== 'POST')
      return send(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
    if (req.headers.authorization !== expectedAuth || match[1] !== DOUBLE_SID) {
      return send(401, {
        code: 20003,
        message: 'Authenticate',
        more_info: 'https://www.twilio.com/docs/errors/20003',
        status: 401,
      });
    }
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const form = new URLSearchParams(raw);
    const behaviour = behaviours.shift();
    if (behaviour?.kind === 'error') {
      return send(behaviour.status, {
        code: behaviour.code,
        message: behaviour.message,
        more_info: `https://www.twilio.com/docs/errors/${behaviour.code}`,
        status: behaviour.status,
      });
    }
    if (behaviour?.kind === 'stall') await new Promise((r) => setTimeout(r, behaviour.ms));
    const to = form.get('To');
    const call = match[2] === 'Calls';
    const text = call ? form.get('Twiml') : (form.get('Body') ?? form.get('ContentVariables'));
    if (!to || !text)
      return send(400, { code: 21604, message: "A 'To' phone number and a 'Body' are required.", status: 400 });
    if (call && !form.get('From'))
      return send(400, { code: 21603, message: "A 'From' phone number is required.", status: 400 });
    const sid = `${call ? 'CA' : 'SM'}${randomBytes(16).toString('hex')}`;
    const message: ReceivedMessage = {
      sid,
      to,
      text,
      channel: call ? 'call' : to.startsWith('whatsapp:') ? 'whatsapp' : 'sms',
      ...(form.get('ContentSid') ? { contentSid: form.get('ContentSid')! } : {}),
      ...(form.get('From') ? { from: form.get('From')! } : {}),
      ...(form.get('MessagingServiceSid') ? { messagingServiceSid: form.get('MessagingServiceSid')! } : {}),
      ...(form.get('StatusCallback') ? { statusCallback: form.get('StatusCallback')! } : {}),
    };
    received.push(message);
    if (res.destroyed) return;
    send(201, {
      sid,
      account_sid: DOUBLE_SID,
      to,
      from: message.from ?? null,
      messaging_service_sid: message.messagingServiceSid ?? null,
      body: text,
      status: 'queued',
      num_segments: '1',
      direction: 'outbound-api',
      api_version: '2010-04-01',
      date_created: new Date().toUTCString(),
      uri: `/2010-04-01/Accounts/${DOUBLE_SID}/Messages/${sid}.json`,
    });
  });
  const loopback = await listenOnLoopback(server);
  return {
    url: loopback.origin,
    received,
    get requests() {
      return state.requests;
    },
    set requests(n) {
      state.requests = n;
    },
    failNext(times, status, code, message = `Twilio error ${code}`) {
      for (let i = 0; i < times; i++) behaviours.push({ kind: 'error', status, code, message });
    },
    stallNext(times, ms) {
      for (let i = 0; i < times; i++) behaviours.push({ kind: 'stall', ms });
    },
    close: loopback.close,
  };
}
