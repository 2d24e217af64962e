// Request bodies over the limit get 413, read by the client; bodies within it are left untouched.
import type { Context, MiddlewareHandler } from 'hono';

/**
 * A body that declares its length within `maxBytes` passes without the stream being touched (on
 * Node, touching it builds a whole Web Request: the costly part of the hot path). A longer one,
 * declared or chunked, is answered by `tooLarge` with `Connection: close` only after the rest of
 * it has been read and thrown away, up to `drainBytes`: answering while the client is still
 * sending makes it see a reset instead of the 413. Past `drainBytes` the connection is closed
 * without reading more (a client sending that much is not waiting for an answer).
 */
export function limitBody(
  maxBytes: number,
  drainBytes: number,
  tooLarge: (c: Context) => Response | Promise<Response>,
): MiddlewareHandler {
  const refuse = async (c: Context) => {
    const res = await tooLarge(c);
    res.headers.set('Connection', 'close');
    return res;
  };
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const declared = c.req.header('Content-Length');
    if (declared !== undefined && c.req.header('Transfer-Encoding') === undefined) {
      const length = Number(declared);
      if (length <= maxBytes) return next();
      if (length <= drainBytes) await discard(c.req.raw.body, drainBytes);
      return refuse(c);
    }
    const body = c.req.raw.body;
    if (!body) return next();
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > maxBytes) {
        await discardFrom(reader, drainBytes - size);
        return refuse(c);
      }
      chunks.push(value);
    }
    const whole = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      whole.set(chunk, offset);
      offset += chunk.length;
    }
    c.req.raw = new Request(c.req.raw, { body: whole });
    return next();
  };
}

async function discard(body: ReadableStream<Uint8Array> | null, bound: number) {
  if (body) await discardFrom(body.getReader(), bound);
}

/** Reads and drops up to `bound` more bytes; stops early (leaving the rest unread) past it. */
async function discardFrom(reader: ReadableStreamDefaultReader<Uint8Array>, bound: number) {
  let left = bound;
  try {
    while (left > 0) {
      const { done, value } = await reader.read();
      if (done) return;
      left -= value.length;
    }
    await reader.cancel();
  } catch {
    // The client went away: there is nobody left to answer.
  }
}
