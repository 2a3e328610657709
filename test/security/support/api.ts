/** A minimal JSON-over-HTTP caller on undici for the security tests (raw: they see what a client sees). */
import { request, type Dispatcher } from 'undici';

/** A response as the security tests inspect it. */
export interface ApiResponse {
  readonly status: number;
  readonly text: string;
  // Tests read arbitrary JSON fields.
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly headers: Record<string, string | string[] | undefined>;
}

/** Sends one request; object bodies go as JSON. */
export async function send(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string>; dispatcher?: Dispatcher } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await request(`${base}${path}`, { method: method as Dispatcher.HttpMethod, headers, body, dispatcher: opts.dispatcher });
  const text = await res.body.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.statusCode, text, body: parsed, headers: res.headers };
}

/** Whether a body is exactly the API's error shape: `{"errors": [non-empty string, ...]}` and nothing else. */
export function isErrorShape(body: unknown): boolean {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  const keys = Object.keys(body);
  const errors = (body as { errors?: unknown }).errors;
  return keys.length === 1 && keys[0] === 'errors' && Array.isArray(errors) && errors.length > 0 && errors.every((e) => typeof e === 'string' && e.length > 0);
}

/** An OAuth access token for a client. */
export async function clientToken(base: string, clientId: string, clientSecret: string): Promise<string> {
  const res = await send(base, 'POST', '/oauth2/token', { body: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret } });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.text}`);
  return res.body.access_token as string;
}
