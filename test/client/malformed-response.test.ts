/**
 * Faults the reference server cannot produce (it always answers with schema-valid bodies), served by a
 * tiny local HTTP server: a success body that is not JSON, one that does not match the schema, and a
 * server that repeats a pagination cursor.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { KeyformClient, ResponseParseError } from '../../src/client';

const SECRET = 'fsk_test_ThisIsTheSecretValue1234';
let server: Server;
let endpoint: string;
let handler: (req: IncomingMessage, res: ServerResponse) => void;

beforeAll(async () => {
  server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function client(): KeyformClient {
  return new KeyformClient({ endpoint, token: 'fsk_test_callerToken', maxRetries: 0 });
}

describe('a success body that does not parse', () => {
  it('GIVEN a 201 whose body is not JSON WHEN creating a key THEN ResponseParseError without the body', async () => {
    handler = (_req, res) => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(`{"value": "${SECRET}", oops`);
    };
    const c = client();
    const err = await c.createApiKey({ mid: 'mid_123456', name: 'n', type: 'secret' }).catch((e: unknown) => e);
    await c.close();
    expect(err).toBeInstanceOf(ResponseParseError);
    expect((err as ResponseParseError).code).toBe('KF-CLIENT-012');
    expect((err as ResponseParseError).status).toBe(201);
    expect((err as Error).message).toContain('body is not JSON');
    expect(inspect(err, { depth: 10 })).not.toContain(SECRET);
  });

  it('GIVEN a 201 that misses fields WHEN creating a key THEN ResponseParseError names the fields, never the secret value', async () => {
    handler = (_req, res) => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'key_1', value: SECRET, scopes: 'customers:read' }));
    };
    const c = client();
    const err = await c.createApiKey({ mid: 'mid_123456', name: 'n', type: 'secret' }).catch((e: unknown) => e);
    await c.close();
    expect(err).toBeInstanceOf(ResponseParseError);
    expect((err as Error).message).toMatch(/fields that do not match the schema: .*object/);
    expect((err as Error).message).toContain('[POST /v1/api-keys -> 201]');
    expect(inspect(err, { depth: 10 })).not.toContain(SECRET);
    expect(inspect(err, { depth: 10 })).not.toContain('callerToken');
  });

  it('GIVEN an empty 200 WHEN reading a key THEN ResponseParseError says the body is empty', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end();
    };
    const c = client();
    const err = await c.getApiKey('key_1').catch((e: unknown) => e);
    await c.close();
    expect(err).toBeInstanceOf(ResponseParseError);
    expect((err as Error).message).toContain('empty body');
  });

  it('is not retried: the same bad body would come back', async () => {
    let calls = 0;
    handler = (_req, res) => {
      calls++;
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>proxy login</html>');
    };
    const c = new KeyformClient({ endpoint, token: 't', maxRetries: 3, retry: { baseDelayMs: 1 } });
    await expect(c.listScopes()).rejects.toBeInstanceOf(ResponseParseError);
    await c.close();
    expect(calls).toBe(1);
  });
});

describe('a server that repeats a pagination cursor', () => {
  it('stops the iterator with ResponseParseError instead of looping forever', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: [{ id: 'proj_a', object: 'project', name: 'A', created_at: '2030-01-01T00:00:00Z' }], has_more: true, next_cursor: 'same' }));
    };
    const c = client();
    const seen: string[] = [];
    const err = await (async () => {
      for await (const p of c.iterateProjects()) seen.push(p.id);
    })().catch((e: unknown) => e);
    await c.close();
    expect(err).toBeInstanceOf(ResponseParseError);
    expect((err as Error).message).toContain('repeated a pagination cursor');
    expect(seen).toEqual(['proj_a', 'proj_a']);
  });
});

describe('requests as sent', () => {
  it('sends the bearer, JSON, a user agent, an Idempotency-Key on creates, and encodes path and query', async () => {
    const seen: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string }[] = [];
    handler = (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body });
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: ['No such thing.'] }));
      });
    };
    const c = new KeyformClient({ endpoint: `${endpoint}/base/`, token: 'fsk_test_abc', maxRetries: 0, userAgent: 'ua-test' });
    await c.getApiKey('a/b c').catch(() => undefined);
    await c.listApiKeys({ mid: 'mid_1', limit: 5, name: undefined }).catch(() => undefined);
    await c.createApiKey({ mid: 'mid_1', name: 'n', type: 'secret' }).catch(() => undefined);
    await c.createApiKey({ mid: 'mid_1', name: 'n', type: 'secret' }, { idempotencyKey: 'my-key' }).catch(() => undefined);
    await c.close();
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /base/v1/api-keys/a%2Fb%20c',
      'GET /base/v1/api-keys?mid=mid_1&limit=5',
      'POST /base/v1/api-keys',
      'POST /base/v1/api-keys',
    ]);
    expect(seen[0].headers.authorization).toBe('Bearer fsk_test_abc');
    expect(seen[0].headers['user-agent']).toBe('ua-test');
    expect(seen[0].headers['idempotency-key']).toBeUndefined();
    expect(seen[2].headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen[2].body)).toEqual({ mid: 'mid_1', name: 'n', type: 'secret' });
    expect(seen[2].headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[3].headers['idempotency-key']).toBe('my-key');
  });
});
