/**
 * Hostile input (issue 9 item 5), against the real server with its request log on:
 * - broken HTTP Basic credentials on the token route (bad base64, no `:`, broken %-escapes, bytes that
 *   are not UTF-8) are a 400 naming the header, never a 5xx;
 * - lone UTF-16 surrogates and C0/C1 control characters in names and descriptions are a 400 naming
 *   the field, and change nothing;
 * - a secret sent by mistake in a path, a query, a header or a body is never echoed in an error and
 *   never written to the server's log (nor to a key's request log or the audit log).
 */
import { startTestServer, type TestServer } from '../support/server';
import { isErrorShape, send, type ApiResponse } from './support/api';
import { SECRET_SHAPED, secretBody } from './support/hostile-values';

jest.setTimeout(120_000);

let server: TestServer;
let token: string;
/** Every response of this file, for the final sweep. */
const responses: ApiResponse[] = [];

async function sent(method: string, path: string, opts: Parameters<typeof send>[3] = {}): Promise<ApiResponse> {
  const res = await send(server.url, method, path, opts);
  responses.push(res);
  return res;
}

beforeAll(async () => {
  server = await startTestServer();
  token = await server.adminToken();
});
afterAll(async () => {
  await server?.stop();
});

const b64 = (bytes: Buffer | string) => Buffer.from(bytes).toString('base64');

describe('POST /oauth2/token with broken Basic credentials', () => {
  const bad = [
    { header: 'Basic !!!not base64!!!', reason: 'not base64' },
    { header: `Basic ${b64('no-colon-here')}`, reason: 'no : between client_id and client_secret' },
    { header: `Basic ${b64('%E0%A4%A:secret')}`, reason: 'a broken %-escape in client_id' },
    { header: `Basic ${b64('client:%ZZ%')}`, reason: 'a broken %-escape in client_secret' },
    { header: `Basic ${b64(Buffer.from([0xff, 0xfe, 0x3a, 0xc3]))}`, reason: 'bytes that are not UTF-8' },
  ];
  it.each(bad)('answers 400 naming the header for $reason', async ({ header }) => {
    const res = await sent('POST', '/oauth2/token', { body: 'grant_type=client_credentials', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: header } });
    expect({ status: res.status, body: res.body }).toEqual({
      status: 400,
      body: { errors: ['Invalid Authorization header: HTTP Basic credentials must be base64 of client_id:client_secret, each form-urlencoded (RFC 6749 2.3.1).'] },
    });
  });

  it('answers broken %-escapes in a form body with a 4xx, never a 5xx', async () => {
    const res = await sent('POST', '/oauth2/token', { body: 'grant_type=client_credentials&client_id=%E0%A4%A&client_secret=%ZZ', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(401);
    expect(isErrorShape(res.body)).toBe(true);
  });
});

describe('names and descriptions refuse lone surrogates and control characters', () => {
  const values = [
    { value: 'bad\ud800name', problem: 'lone UTF-16 surrogate', reason: 'a lone high surrogate' },
    { value: 'bad\udfffname', problem: 'lone UTF-16 surrogate', reason: 'a lone low surrogate' },
    { value: 'erase\u001b[2K', problem: 'U+001B', reason: 'ESC' },
    { value: 'ring\u0007', problem: 'U+0007', reason: 'BEL' },
    { value: 'nul\u0000', problem: 'U+0000', reason: 'NUL' },
    { value: 'c1\u009b31m', problem: 'U+009B', reason: 'a C1 control (CSI)' },
    { value: 'del\u007f', problem: 'U+007F', reason: 'DEL' },
  ];
  const targets = ['create key name', 'create key description', 'patch key name', 'create authorization name', 'patch authorization name'] as const;
  const rows = targets.flatMap((target) => values.map((v) => ({ target, ...v })));

  it.each(rows)('$target with $reason: 400 naming the field, nothing changed', async ({ target, value, problem }) => {
    const field = target.endsWith('description') ? 'description' : 'name';
    let res: ApiResponse;
    let check: () => Promise<void> = async () => undefined;
    if (target.startsWith('create key')) {
      const before = (await send(server.url, 'GET', '/v1/api-keys?limit=1000', { token })).body.data.length;
      res = await sent('POST', '/v1/api-keys', { token, body: { mid: 'mid_123456', type: 'secret', name: 'ok', [field]: value } });
      check = async () => expect((await send(server.url, 'GET', '/v1/api-keys?limit=1000', { token })).body.data.length).toBe(before);
    } else if (target === 'patch key name') {
      const k = (await send(server.url, 'POST', '/v1/api-keys', { token, body: { mid: 'mid_123456', type: 'secret', name: 'before' } })).body;
      res = await sent('PATCH', `/v1/api-keys/${k.id}`, { token, body: { name: value } });
      check = async () => expect((await send(server.url, 'GET', `/v1/api-keys/${k.id}`, { token })).body.name).toBe('before');
    } else if (target === 'create authorization name') {
      res = await sent('POST', '/v1/authorizations', { token, body: { name: value, kind: 'api_key', owner_id: 'usr_alice' } });
    } else {
      const a = (await send(server.url, 'POST', '/v1/authorizations', { token, body: { name: 'before', kind: 'api_key', owner_id: 'usr_alice' } })).body;
      res = await sent('PATCH', `/v1/authorizations/${a.id}`, { token, body: { name: value } });
      check = async () => expect((await send(server.url, 'GET', `/v1/authorizations/${a.id}`, { token })).body.name).toBe('before');
    }
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.stringMatching(new RegExp(`^Invalid ${field} value: .*${problem.replace('+', '\\+')}`))]);
    await check();
  });

  it('keeps tabs and line breaks in descriptions', async () => {
    const res = await sent('POST', '/v1/api-keys', { token, body: { mid: 'mid_123456', type: 'secret', name: 'ok', description: 'line one\n\tline two' } });
    expect(res.status).toBe(201);
    expect(res.body.description).toBe('line one\n\tline two');
  });
});

describe('a secret sent by mistake is never echoed nor logged', () => {
  // A real key too, so that a real value is among the probes, and a key whose request log records the probes.
  let realSecret: string;
  let probeKey: { id: string; value: string };

  beforeAll(async () => {
    realSecret = (await send(server.url, 'POST', '/v1/api-keys', { token, body: { mid: 'mid_123456', type: 'secret', name: 'real' } })).body.value;
    probeKey = (await send(server.url, 'POST', '/v1/api-keys', { token, body: { mid: 'mid_123456', type: 'secret', name: 'prober' } })).body;
  });

  const placements = (s: string): { where: string; method: string; path: string; body?: unknown; headers?: Record<string, string> }[] => [
    { where: 'key id in the path (get)', method: 'GET', path: `/v1/api-keys/${s}` },
    { where: 'key id in the path (patch)', method: 'PATCH', path: `/v1/api-keys/${s}`, body: { name: 'x' } },
    { where: 'key id in the path (revoke)', method: 'DELETE', path: `/v1/api-keys/${s}` },
    { where: 'key id in the path (rotate)', method: 'POST', path: `/v1/api-keys/${s}/rotate`, body: {} },
    { where: 'key id in the path (logs)', method: 'GET', path: `/v1/api-keys/${s}/logs` },
    { where: 'authorization id in the path', method: 'GET', path: `/v1/authorizations/${s}` },
    { where: 'unknown route', method: 'GET', path: `/v1/${s}` },
    { where: 'query value', method: 'GET', path: `/v1/api-keys?cursor=${s}` },
    { where: 'unknown query parameter', method: 'GET', path: `/v1/api-keys?${s}=1` },
    { where: 'mid in a body', method: 'POST', path: '/v1/api-keys', body: { mid: s, name: 'x', type: 'secret' } },
    { where: 'unknown field in a body', method: 'POST', path: '/v1/api-keys', body: { mid: 'mid_123456', name: 'x', type: 'secret', [s]: 1 } },
    { where: 'scope in a body', method: 'POST', path: '/v1/api-keys', body: { mid: 'mid_123456', name: 'x', type: 'secret', scopes: [s] } },
    { where: 'owner in a body', method: 'POST', path: '/v1/authorizations', body: { name: 'x', kind: 'api_key', owner_id: s } },
    { where: 'invalid JSON body', method: 'POST', path: '/v1/api-keys', body: `${s} is not JSON`, headers: { 'content-type': 'application/json' } },
    { where: 'content-type header', method: 'POST', path: '/v1/api-keys', body: '{}', headers: { 'content-type': `text/${s}` } },
    { where: 'bearer with extra words', method: 'GET', path: '/v1/api-keys', headers: { authorization: `Bearer ${s} extra` } },
    { where: 'Idempotency-Key header', method: 'POST', path: '/v1/api-keys', body: { mid: s, name: 'x', type: 'secret' }, headers: { 'idempotency-key': s } },
    { where: 'client_id of a token request', method: 'POST', path: '/oauth2/token', body: { grant_type: 'client_credentials', client_id: s, client_secret: s } },
  ];

  it('answers every placement of every secret shape with a 4xx that does not contain it', async () => {
    const secrets = [...SECRET_SHAPED];
    const failures: string[] = [];
    for (const s of secrets) {
      for (const p of placements(s)) {
        const auth = p.headers?.authorization ? {} : { token: p.path.startsWith('/oauth2') ? undefined : probeKey.value };
        const res = await sent(p.method, p.path, { ...auth, body: p.body, headers: p.headers });
        if (res.status >= 500 || res.status < 400) failures.push(`${p.where}: ${res.status}`);
        if (!isErrorShape(res.body)) failures.push(`${p.where}: not the {errors} shape`);
        if (res.text.includes(secretBody(s))) failures.push(`${p.where}: echoed ${s.slice(0, 8)}…`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('never writes a probe, nor a real secret sent as an id, to the server log, a key’s request log or the audit log', async () => {
    const res = await sent('GET', `/v1/api-keys/${realSecret}`, { token: probeKey.value });
    expect(res.status).toBe(404);
    expect(res.text).not.toContain(realSecret.slice(9));
    // Give the log pipe a moment to flush the last lines.
    await new Promise((r) => setTimeout(r, 300));
    const log = server.stderr();
    expect(log).toContain('"msg":"request"');
    const requestLog = (await send(server.url, 'GET', `/v1/api-keys/${probeKey.id}/logs?limit=1000`, { token })).text;
    const audit = (await send(server.url, 'GET', '/v1/audit-log?limit=1000', { token })).text;
    expect(JSON.parse(requestLog).data.length).toBeGreaterThan(100);
    const leaks: string[] = [];
    for (const s of [...SECRET_SHAPED.map(secretBody), realSecret.slice(9)]) {
      if (log.includes(s)) leaks.push(`server log: ${s.slice(0, 8)}`);
      if (requestLog.includes(s)) leaks.push(`request log: ${s.slice(0, 8)}`);
      if (audit.includes(s)) leaks.push(`audit log: ${s.slice(0, 8)}`);
      for (const r of responses) if (r.status >= 400 && r.text.includes(s)) leaks.push(`error body: ${s.slice(0, 8)}`);
    }
    expect(leaks).toEqual([]);
    expect(responses.filter((r) => r.status >= 500)).toEqual([]);
  });
});
