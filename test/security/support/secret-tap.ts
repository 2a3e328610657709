/**
 * A recording reverse proxy in front of the reference server: every secret that passes through it
 * (values and secrets in responses, access tokens, client secrets and bearers in requests) is kept,
 * so a test knows every secret the provider was ever given without trusting the provider to say so.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';

/** Fields of request and response bodies that carry secrets. */
const SECRET_FIELDS = new Set(['value', 'secret', 'access_token', 'client_secret']);

/** A running tap. */
export interface SecretTap {
  /** The URL to use as the API endpoint. */
  readonly url: string;
  /** Every secret seen so far. */
  readonly secrets: Set<string>;
  /** Requests forwarded so far. */
  requests(): number;
  close(): Promise<void>;
}

function harvest(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) harvest(v, into);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_FIELDS.has(k) && typeof v === 'string' && v.length > 0) into.add(v);
      else harvest(v, into);
    }
  }
}

function harvestText(text: string, contentType: string | undefined, into: Set<string>): void {
  if (!text) return;
  if ((contentType ?? '').includes('x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(text)) if (SECRET_FIELDS.has(k) && v) into.add(v);
    return;
  }
  try {
    harvest(JSON.parse(text), into);
  } catch {
    // Not JSON: nothing structured to harvest.
  }
}

/** Starts a tap forwarding to `upstream` on a loopback port. */
export async function startSecretTap(upstream: string): Promise<SecretTap> {
  const secrets = new Set<string>();
  let count = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        count++;
        const body = Buffer.concat(chunks);
        const auth = req.headers.authorization;
        const bearer = auth ? /^Bearer\s+(\S+)/i.exec(auth)?.[1] : undefined;
        if (bearer) secrets.add(bearer);
        harvestText(body.toString('utf8'), req.headers['content-type'], secrets);
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) {
          if (typeof v === 'string' && !['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive'].includes(k)) headers[k] = v;
        }
        try {
          const up = await request(`${upstream}${req.url ?? '/'}`, { method: (req.method ?? 'GET') as 'GET', headers, body: body.length ? body : undefined });
          const text = await up.body.text();
          harvestText(text, String(up.headers['content-type'] ?? ''), secrets);
          const out: Record<string, string> = {};
          for (const [k, v] of Object.entries(up.headers)) {
            if (typeof v === 'string' && !['connection', 'content-length', 'transfer-encoding', 'keep-alive'].includes(k)) out[k] = v;
          }
          res.writeHead(up.statusCode, out);
          res.end(text);
        } catch (e) {
          res.writeHead(502, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ errors: [`tap: upstream failed: ${(e as Error).message}`] }));
        }
      })();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    secrets,
    requests: () => count,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
