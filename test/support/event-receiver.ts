// A local endpoint for event webhooks: records each delivery, answers what it is told (or holds it).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './loopback-server.ts';

export const EVENT_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

export interface Delivery {
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly event: { type: string; timestamp: string; data: Record<string, unknown> };
}

export async function startEventReceiver() {
  const deliveries: Delivery[] = [];
  /** Statuses to answer, in turn; 200 once they run out. 0: hold the request until released. */
  const answers: number[] = [];
  const held: ServerResponse[] = [];
  let holdAll = false;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
      );
      deliveries.push({ headers, body, event: JSON.parse(body) as Delivery['event'] });
      const status = holdAll ? 0 : (answers.shift() ?? 200);
      if (status === 0) held.push(res);
      else res.writeHead(status).end();
    });
  });
  const { origin, close } = await listenOnLoopback(server);
  return {
    url: `${origin}/events`,
    deliveries,
    answerNext: (...statuses: number[]) => answers.push(...statuses),
    /** Holds every request from now on, as a dead endpoint would (until `release`). */
    holdEverything: () => {
      holdAll = true;
    },
    /** Forgets what was recorded and what it was told to answer. */
    reset: () => {
      deliveries.length = 0;
      answers.length = 0;
    },
    release: () => {
      holdAll = false;
      for (const res of held.splice(0)) res.writeHead(200).end();
    },
    close,
  };
}
