/**
 * Migration 5 (grant origins) over a store written before it: grants that already exist count as
 * declared (so upgrading never turns the grants of existing keyform grant resources into drift); grants
 * made afterwards are made by hand unless their PUT carries origin "keyform".
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

/** A store as versions 1 and 2 wrote it: one user with two project roles and an authorization holding one of them. */
function writeV2Store(dir: string): void {
  const db = new Database(join(dir, 'keyform.db'));
  const now = new Date().toISOString();
  db.exec('CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  for (const v of [1, 2]) {
    const m = MIGRATIONS.find((x) => x.version === v)!;
    db.exec(m.sql);
    db.prepare('INSERT INTO migrations VALUES (?, ?, ?)').run(v, m.name, now);
  }
  db.prepare('INSERT INTO merchants (mid, name, created_at) VALUES (?, ?, ?)').run('mid_123456', 'Demo Merchant', now);
  for (const p of ['proj_support', 'proj_platform']) db.prepare('INSERT INTO projects (id, name, created_at) VALUES (?, ?, ?)').run(p, p, now);
  db.prepare('INSERT INTO users (id, name, capabilities, created_at, mid) VALUES (?, ?, ?, ?, ?)').run('usr_old', 'Old', '["api"]', now, 'mid_123456');
  for (const p of ['proj_support', 'proj_platform']) db.prepare('INSERT INTO user_roles (user_id, project_id, role) VALUES (?, ?, ?)').run('usr_old', p, 'editor');
  db.prepare(
    `INSERT INTO authorizations (id, name, kind, owner_id, capabilities, client_id, secret_hash, prefix, last4, fingerprint, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?)`,
  ).run('auth_old', 'old tool', 'api_key', 'usr_old', '["api"]', 'hash', 'fat_', 'abcd', 'sha256:0000000000000000', now, now);
  db.prepare('INSERT INTO authorization_projects (authorization_id, project_id, role, seq) VALUES (?, ?, ?, ?)').run('auth_old', 'proj_support', 'viewer', 0);
  db.close();
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'keyform-migration-'));
  writeV2Store(dataDir);
  server = await startTestServer({ dataDir, args: ['--quiet'] });
  admin = as(server.url, await server.adminToken());
});
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('grant origins over a store from before them', () => {
  it('counts existing grants as declared, a grant made by hand as not, and a grant PUT with origin keyform as declared', async () => {
    expect((await admin.get('/v1/authorizations/auth_old')).body.managed_grants).toEqual({ project_ids: ['proj_support'], mcp_server_ids: [] });
    expect((await admin.put('/v1/authorizations/auth_old/projects/proj_platform', { role: 'viewer' })).status).toBe(200);
    expect((await admin.get('/v1/authorizations/auth_old')).body.managed_grants).toEqual({ project_ids: ['proj_support'], mcp_server_ids: [] });
    // A hand PUT on a declared grant keeps its origin; a PUT with origin keyform declares it.
    expect((await admin.put('/v1/authorizations/auth_old/projects/proj_support', { role: 'editor' })).status).toBe(200);
    expect((await admin.put('/v1/authorizations/auth_old/projects/proj_platform', { role: 'viewer', origin: 'keyform' })).status).toBe(200);
    expect((await admin.get('/v1/authorizations/auth_old')).body.managed_grants).toEqual({ project_ids: ['proj_support', 'proj_platform'], mcp_server_ids: [] });
    expect((await admin.put('/v1/authorizations/auth_old/projects/proj_platform', { role: 'viewer', origin: 'someone' })).status).toBe(400);
  });
});
