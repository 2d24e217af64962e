// Requests against an app with app.request(): no server, no network.
export interface Requestable {
  request(input: string, init?: RequestInit): Response | Promise<Response>;
}

export async function call(
  app: Requestable,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['Content-Type'] ??= 'application/json';
  }
  const res = await app.request(`http://localhost${path}`, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

export const phonePath = (phone: string) => `/v1/verifications/${encodeURIComponent(phone)}`;
