/**
 * Migration 2 (users belong to a merchant) over a store written before it: existing users keep no
 * merchant, so their authorizations are the admin client's only until the admin assigns one.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS } from '../../src/server/store';
import { startTestServer, type TestServer } from '../support/server';
import { as } from './http';

let dataDir: string;
let server: TestServer;
let admin: ReturnType<typeof as>;

/** A store as version 1 wrote it: a merchant, a project, a user without merchant and one authorization. */
function writeV1Store(dir: string): void {
  const db = new Database(join(dir, 'keyform.db'));
  const now = new Date().toISOString();
  db.exec('CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  db.exec(MIGRATIONS.find((m) => m.version === 1)!.sql);
  db.prepare('INSERT INTO migrations VALUES (1, ?, ?)').run('initial schema', now);
  db.prepare('INSERT INTO merchants (mid, name, created_at) VALUES (?, ?, ?)').run('mid_123456', 'Demo Merchant', now);
  db.prepare('INSERT INTO projects (id, name, created_at) VALUES (?, ?, ?)').run('proj_support', 'Support', now);
  db.prepare('INSERT INTO users (id, name, capabilities, created_at) VALUES (?, ?, ?, ?)').run('usr_legacy', 'Legacy', '["api"]', now);
  db.prepare('INSERT INTO user_roles (user_id, project_id, role) VALUES (?, ?, ?)').run('usr_legacy', 'proj_support', 'viewer');
  db.prepare(
    `INSERT INTO authorizations (id, name, kind, owner_id, capabilities, client_id, secret_hash, prefix, last4, fingerprint, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?)`,
  ).run('auth_legacy', 'legacy tool', 'api_key', 'usr_legacy', '["api"]', 'hash', 'fat_', 'abcd', 'sha256:0000000000000000', now, now);
  db.close();
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'keyform-migration-'));
  writeV1Store(dataDir);
  server = await startTestServer({ dataDir, args: ['--quiet'] });
  admin = as(server.url, await server.adminToken());
});
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a store from before merchant-bound users', () => {
  it('keeps existing users without a merchant and their authorizations visible to the admin client only', async () => {
    expect((await admin.get('/v1/admin/users')).body.data).toEqual([expect.objectContaining({ id: 'usr_legacy', mid: null })]);
    expect((await admin.get('/v1/authorizations/auth_legacy')).body).toMatchObject({ owner_id: 'usr_legacy', mid: null });
    const key = as(server.url, (await admin.post('/v1/api-keys', { mid: 'mid_123456', name: 'k', type: 'secret' })).body.value);
    expect((await key.get('/v1/authorizations/auth_legacy')).status).toBe(404);
    expect((await key.get('/v1/authorizations')).body.data).toEqual([]);
    // A user out of the key's reach answers like an unknown one (issue 9).
    expect((await key.post('/v1/authorizations', { name: 'x', kind: 'api_key', owner_id: 'usr_legacy' })).status).toBe(400);
  });

  it("lets the admin assign a merchant, after which that merchant's keys manage the user's authorizations", async () => {
    const u = await admin.post('/v1/admin/users', { id: 'usr_legacy', mid: 'mid_123456', roles: [{ project_id: 'proj_support', role: 'viewer' }], capabilities: ['api'] });
    expect(u.status).toBe(200);
    expect(u.body.mid).toBe('mid_123456');
    const key = as(server.url, (await admin.post('/v1/api-keys', { mid: 'mid_123456', name: 'k2', type: 'secret' })).body.value);
    expect((await key.get('/v1/authorizations/auth_legacy')).body).toMatchObject({ id: 'auth_legacy', mid: 'mid_123456' });
    expect((await key.patch('/v1/authorizations/auth_legacy', { name: 'adopted' })).status).toBe(200);
  });
});
