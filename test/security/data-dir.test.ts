/**
 * Secrets at rest (issue 9 item 6): a copy of the data directory, taken while the server runs after 100
 * creates and rotations sent with Idempotency-Keys, yields no secret. Searched as an attacker would:
 * every file's bytes for every issued value (and its random part), and every sealed replay blob tried
 * against every piece of key material in the copy (the server secret, the admin credentials, every
 * string in every table), as a raw AES key and through the derivations the server uses. A positive
 * control proves the harness does decrypt a blob when given the Idempotency-Key.
 */
import Database from 'better-sqlite3';
import { createDecipheriv, hkdfSync, randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/server';
import { send } from './support/api';

jest.setTimeout(180_000);

let server: TestServer;
let copy: string;
const secrets: string[] = [];
const idempotencyKeys: string[] = [];

function tryOpen(key: Buffer, sealed: string): string | undefined {
  try {
    const raw = Buffer.from(sealed, 'base64');
    const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

const hkdf = (ikm: Buffer, salt: Buffer, info: string) => Buffer.from(hkdfSync('sha256', ikm, salt, info, 32));

beforeAll(async () => {
  server = await startTestServer({ args: ['--quiet'] });
  const token = await server.adminToken();
  const keyBearer = (await send(server.url, 'POST', '/v1/api-keys', { token, body: { mid: 'mid_123456', name: 'minter', type: 'secret' } })).body.value as string;
  secrets.push(keyBearer);
  for (let i = 0; i < 50; i++) {
    // Half by the admin client, half by a key: both kinds of credential id.
    const bearer = i % 2 ? token : keyBearer;
    const idem = randomUUID();
    idempotencyKeys.push(idem);
    const created = await send(server.url, 'POST', '/v1/api-keys', { token: bearer, body: { mid: 'mid_123456', name: `at-rest ${i}`, type: 'secret', scopes: ['charges:read'] }, headers: { 'idempotency-key': idem } });
    expect(created.status).toBe(201);
    secrets.push(created.body.value);
    const ridem = randomUUID();
    idempotencyKeys.push(ridem);
    const rotated = await send(server.url, 'POST', `/v1/api-keys/${created.body.id}/rotate`, { token: bearer, body: { grace_period_seconds: 3600 }, headers: { 'idempotency-key': ridem } });
    expect(rotated.status).toBe(200);
    secrets.push(rotated.body.value);
  }
  copy = mkdtempSync(join(tmpdir(), 'keyform-stolen-'));
  cpSync(server.dataDir, copy, { recursive: true });
});
afterAll(async () => {
  await server?.stop();
  if (copy) rmSync(copy, { recursive: true, force: true });
});

it('holds no issued value and no Idempotency-Key in any file, byte for byte', () => {
  const files = readdirSync(copy, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
  expect(files.map((f) => f.name)).toEqual(expect.arrayContaining(['keyform.db']));
  const hits: string[] = [];
  for (const f of files) {
    const bytes = readFileSync(join(f.parentPath ?? (f as unknown as { path: string }).path, f.name));
    for (const s of [...secrets, ...secrets.map((v) => v.slice(-32)), ...idempotencyKeys]) {
      if (bytes.includes(Buffer.from(s, 'utf8')) || bytes.includes(Buffer.from(s, 'utf16le'))) hits.push(`${f.name}: ${s.slice(0, 12)}…`);
    }
  }
  expect(hits).toEqual([]);
});

it('opens no sealed replay with any key material found in the copy, though the Idempotency-Key opens each', () => {
  const db = new Database(join(copy, 'keyform.db'), { readonly: true });
  try {
    const blobs = db.prepare('SELECT credential_id, sealed_response FROM idempotency').all() as { credential_id: string; sealed_response: string }[];
    expect(blobs.length).toBe(100);
    // Positive control: with the Idempotency-Key (which only the caller has) every blob opens.
    const opened = blobs.filter((b) => idempotencyKeys.some((k) => tryOpen(hkdf(Buffer.from(k), Buffer.from(b.credential_id), 'keyform idempotent replay v2'), b.sealed_response)));
    expect(opened.length).toBe(100);

    // Every piece of key material in the copy.
    const material = new Set<string>();
    for (const f of readdirSync(copy)) if (!f.startsWith('keyform.db')) for (const line of readFileSync(join(copy, f), 'utf8').split(/[\s"{}:,]+/)) if (line) material.add(line);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    for (const t of tables) {
      for (const row of db.prepare(`SELECT * FROM "${t}"`).all() as Record<string, unknown>[]) {
        for (const v of Object.values(row)) if (typeof v === 'string' && v.length <= 400 && !v.startsWith('{')) material.add(v);
      }
    }
    const serverSecret = Buffer.from(readFileSync(join(copy, 'server-secret'), 'utf8').trim(), 'base64');
    const keys: Buffer[] = [
      serverSecret,
      hkdf(serverSecret, Buffer.alloc(0), 'keyform idempotent replay v1'),
      hkdf(serverSecret, Buffer.alloc(0), 'keyform idempotent replay v2'),
      hkdf(serverSecret, Buffer.alloc(0), 'keyform idempotency lookup v2'),
    ];
    for (const m of material) {
      for (const decoded of [Buffer.from(m, 'hex'), Buffer.from(m, 'base64')]) if (decoded.length === 32) keys.push(decoded);
    }
    const leaks: string[] = [];
    for (const b of blobs) {
      for (const k of keys) if (tryOpen(k, b.sealed_response) !== undefined) leaks.push(`raw key opened a blob of ${b.credential_id}`);
      for (const m of material) {
        // The server's own derivation, with each found string standing in for the Idempotency-Key.
        if (tryOpen(hkdf(Buffer.from(m), Buffer.from(b.credential_id), 'keyform idempotent replay v2'), b.sealed_response) !== undefined) leaks.push(`derived from ${m.slice(0, 16)}`);
      }
    }
    expect({ tried: material.size > 1000, leaks }).toEqual({ tried: true, leaks: [] });
  } finally {
    db.close();
  }
});
