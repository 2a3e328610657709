/** Tiny HTTP helpers for the server tests: raw fetch, so the tests see exactly what a client sees. */

/** A response as the tests inspect it. */
export interface Res {
  status: number;
  headers: Headers;
  // Tests read arbitrary JSON fields.
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

/** Sends a request; `body` objects are sent as JSON, strings as-is. */
export async function call(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Res> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${base}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** A client bound to one server and one bearer. */
export function as(base: string, token: string) {
  return {
    get: (path: string, headers?: Record<string, string>) => call(base, 'GET', path, { token, headers }),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call(base, 'POST', path, { token, body, headers }),
    patch: (path: string, body?: unknown) => call(base, 'PATCH', path, { token, body }),
    put: (path: string, body?: unknown) => call(base, 'PUT', path, { token, body }),
    del: (path: string) => call(base, 'DELETE', path, { token }),
  };
}

/** The seed 004 create body. */
export const SEED_004_BODY = { mid: 'mid_123456', name: 'My API Key', scopes: ['customers:read', 'charges:read'], type: 'secret' };
