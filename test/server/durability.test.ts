import { readFileSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/server';
import { as, call, SEED_004_BODY } from './http';

describe('persistence and secret storage', () => {
  let server: TestServer;
  let admin: ReturnType<typeof as>;
  beforeAll(async () => {
    server = await startTestServer();
    admin = as(server.url, await server.adminToken());
  });
  afterAll(async () => {
    await server.stop();
  });

  it('writes generated admin credentials to a 0600 file and never logs the secret', async () => {
    const file = join(server.dataDir, 'admin-credentials.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(server.dataDir, 'server-secret')).mode & 0o777).toBe(0o600);
    expect(server.stderr()).toContain(file);
    expect(server.stderr()).not.toContain(server.adminClientSecret);
  });

  it('stores no issued secret in the SQLite files, only hashes', async () => {
    const key = await admin.post('/v1/api-keys', SEED_004_BODY);
    const rotated = await admin.post(`/v1/api-keys/${key.body.id}/rotate`, { grace_period_seconds: 60 }, { 'Idempotency-Key': 'rot-1' });
    const replayed = await admin.post('/v1/api-keys', SEED_004_BODY, { 'Idempotency-Key': 'create-1' });
    const authz = await admin.post('/v1/authorizations', { name: 'o', kind: 'oauth2', owner_id: 'usr_alice' });
    const token = await server.adminToken();
    const secrets = [key.body.value, rotated.body.value, replayed.body.value, authz.body.secret, token, server.adminClientSecret];
    for (const s of secrets) expect(s).toMatch(/^[a-z]+_[A-Za-z0-9_]{20,}$/);
    const files = readdirSync(server.dataDir).filter((f) => f.startsWith('keyform.db'));
    expect(files).toEqual(expect.arrayContaining(['keyform.db', 'keyform.db-wal']));
    for (const f of files) {
      const bytes = readFileSync(join(server.dataDir, f)).toString('latin1');
      for (const s of secrets) expect({ file: f, found: bytes.includes(s) }).toEqual({ file: f, found: false });
    }
  });

  it('keeps keys, authorizations, tokens and admin credentials across a restart', async () => {
    const key = (await admin.post('/v1/api-keys', { ...SEED_004_BODY, name: 'survivor' })).body;
    const authz = (await admin.post('/v1/authorizations', { name: 'survivor', kind: 'api_key', owner_id: 'usr_alice' })).body;
    const m = await admin.post('/v1/admin/merchants', { mid: 'mid_654321', name: 'Renamed Other' });
    expect(m.status).toBe(200);
    const url = server.url;
    await server.restart();
    expect(server.url).toBe(url);
    expect((await admin.get(`/v1/api-keys/${key.id}`)).body).toMatchObject({ id: key.id, name: 'survivor', fingerprint: key.fingerprint });
    expect((await admin.get(`/v1/authorizations/${authz.id}`)).status).toBe(200);
    expect((await call(server.url, 'GET', '/v1/scopes', { token: key.value })).status).toBe(200);
    // The default seed only fills a new store: the rename made through the API survives.
    const merchants = await admin.get('/v1/admin/merchants');
    expect(merchants.body.data.find((x: { mid: string }) => x.mid === 'mid_654321').name).toBe('Renamed Other');
    const again = await call(server.url, 'POST', '/oauth2/token', {
      body: { grant_type: 'client_credentials', client_id: server.adminClientId, client_secret: server.adminClientSecret },
    });
    expect(again.status).toBe(200);
  });

  it('survives a crash (SIGKILL) without losing committed keys', async () => {
    const key = (await admin.post('/v1/api-keys', { ...SEED_004_BODY, name: 'before crash' })).body;
    server.kill('SIGKILL');
    await server.restart();
    expect((await admin.get(`/v1/api-keys/${key.id}`)).body.name).toBe('before crash');
  });
});

describe('Idempotency-Key', () => {
  let server: TestServer;
  let admin: ReturnType<typeof as>;
  beforeAll(async () => {
    server = await startTestServer({ args: ['--quiet'] });
    admin = as(server.url, await server.adminToken());
  });
  afterAll(async () => {
    await server.stop();
  });

  it('makes exactly one key out of 50 concurrent creates with one key, all answering the same body', async () => {
    const name = 'concurrent-idempotent';
    const results = await Promise.all(Array.from({ length: 50 }, () => admin.post('/v1/api-keys', { ...SEED_004_BODY, name }, { 'Idempotency-Key': 'same-50' })));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(new Set(results.map((r) => r.body.value)).size).toBe(1);
    expect(results.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(49);
    const list = await admin.get(`/v1/api-keys?name=${name}`);
    expect(list.body.data).toHaveLength(1);
  });

  it('answers 409 when a key is reused with a different body, and keys are per credential', async () => {
    const full = { mid: 'mid_123456', type: 'secret' };
    const first = await admin.post('/v1/api-keys', { ...full, name: 'a' }, { 'Idempotency-Key': 'reuse' });
    expect(first.status).toBe(201);
    const other = await admin.post('/v1/api-keys', { ...full, name: 'b' }, { 'Idempotency-Key': 'reuse' });
    expect(other.status).toBe(409);
    expect(other.body).toEqual({ errors: ['Idempotency-Key reused with a different request body.'] });
    const otherCredential = as(server.url, first.body.value);
    const mine = await otherCredential.post('/v1/api-keys', { ...full, name: 'b' }, { 'Idempotency-Key': 'reuse' });
    expect(mine.status).toBe(201);
    expect(mine.body.id).not.toBe(first.body.id);
  });

  it('replays a rotation instead of rotating twice', async () => {
    const key = (await admin.post('/v1/api-keys', SEED_004_BODY)).body;
    const r1 = await admin.post(`/v1/api-keys/${key.id}/rotate`, { grace_period_seconds: 10 }, { 'Idempotency-Key': 'rot' });
    const r2 = await admin.post(`/v1/api-keys/${key.id}/rotate`, { grace_period_seconds: 10 }, { 'Idempotency-Key': 'rot' });
    expect(r2.body).toEqual(r1.body);
    expect((await admin.get(`/v1/api-keys/${key.id}`)).body.version).toBe(2);
  });

  it('does not store failed requests: a fixed retry with the same key succeeds', async () => {
    const bad = await admin.post('/v1/api-keys', { ...SEED_004_BODY, mid: 'mid_ghost' }, { 'Idempotency-Key': 'fix-me' });
    expect(bad.status).toBe(400);
    const again = await admin.post('/v1/api-keys', { ...SEED_004_BODY, mid: 'mid_ghost' }, { 'Idempotency-Key': 'fix-me' });
    expect(again.status).toBe(400);
  });

  it('replays across a restart', async () => {
    const r1 = await admin.post('/v1/api-keys', SEED_004_BODY, { 'Idempotency-Key': 'restart' });
    await server.restart();
    const r2 = await admin.post('/v1/api-keys', SEED_004_BODY, { 'Idempotency-Key': 'restart' });
    expect(r2.body).toEqual(r1.body);
  });
});

describe('fault injection', () => {
  it('injects 500s and 429s with Retry-After, and warns loudly at start', async () => {
    const server = await startTestServer({ faults: '500=0.5,429=0.5' });
    try {
      const token = await server.adminToken();
      const results = await Promise.all(Array.from({ length: 20 }, () => call(server.url, 'GET', '/v1/scopes', { token })));
      for (const r of results) expect([500, 429]).toContain(r.status);
      const r429 = results.filter((r) => r.status === 429);
      const r500 = results.filter((r) => r.status === 500);
      expect(r429.length + r500.length).toBe(20);
      for (const r of r429) expect(r.headers.get('retry-after')).toBe('1');
      for (const r of r500) expect(r.body).toEqual({ errors: ['Internal server error (injected fault). Retry the request.'] });
      expect(server.stderr()).toContain('FAULT INJECTION IS ON (500=0.5,429=0.5)');
    } finally {
      await server.stop();
    }
  });

  it('drops connections', async () => {
    const server = await startTestServer({ faults: 'drop=1', args: ['--quiet'] });
    try {
      const token = await server.adminToken();
      await expect(call(server.url, 'GET', '/v1/scopes', { token })).rejects.toThrow();
    } finally {
      await server.stop();
    }
  });

  it('loses the response after the commit, and an idempotent retry returns the key that was made', async () => {
    const server = await startTestServer({ faults: 'after=1', args: ['--quiet'] });
    try {
      const admin = as(server.url, await server.adminToken());
      const lost = await admin.post('/v1/api-keys', { ...SEED_004_BODY, name: 'lost' }, { 'Idempotency-Key': 'lost-1' });
      expect(lost.status).toBe(500);
      const list = await admin.get('/v1/api-keys?name=lost');
      expect(list.body.data).toHaveLength(1);
      // The retry hits the same fault but is a replay of the committed create, not a second key.
      await admin.post('/v1/api-keys', { ...SEED_004_BODY, name: 'lost' }, { 'Idempotency-Key': 'lost-1' });
      expect((await admin.get('/v1/api-keys?name=lost')).body.data).toHaveLength(1);
    } finally {
      await server.stop();
    }
  });

  it('refuses an invalid fault spec at start with a clear message', async () => {
    await expect(startTestServer({ faults: '503=2' })).rejects.toThrow(/Invalid fault spec "503=2"/);
  });
});

describe('seed files', () => {
  it('loads a --seed file idempotently and refuses an invalid one naming the field', async () => {
    const seed = { merchants: [{ mid: 'mid_seeded', name: 'Seeded' }], projects: [{ id: 'proj_s', name: 'S' }], users: [{ id: 'usr_s', mid: 'mid_seeded', roles: [{ project_id: 'proj_s', role: 'viewer' as const }] }] };
    const server = await startTestServer({ seed, args: ['--quiet'] });
    try {
      const admin = as(server.url, await server.adminToken());
      expect((await admin.get('/v1/admin/merchants')).body.data.map((m: { mid: string }) => m.mid)).toEqual(['mid_seeded']);
      await server.restart();
      expect((await admin.get('/v1/admin/merchants')).body.data).toHaveLength(1);
      expect((await admin.get('/v1/admin/users')).body.data[0]).toMatchObject({ id: 'usr_s', mid: 'mid_seeded', roles: [{ project_id: 'proj_s', role: 'viewer' }] });
    } finally {
      await server.stop();
    }
    await expect(startTestServer({ seed: { merchants: [{ mid: 'bad mid', name: 'x' }] } })).rejects.toThrow(/Invalid seed: Invalid mid value/);
  });

  it('uses the admin client from KEYFORM_ADMIN_CLIENT_ID/SECRET when set', async () => {
    const env = { KEYFORM_ADMIN_CLIENT_ID: 'kfc_admin_env', KEYFORM_ADMIN_CLIENT_SECRET: 'kfcs_from_env_0123456789abcdef' };
    const server = await startTestServer({ env, args: ['--quiet'] });
    try {
      expect(server.adminClientId).toBe('kfc_admin_env');
      expect((await call(server.url, 'GET', '/v1/admin/users', { token: await server.adminToken() })).status).toBe(200);
      expect(readdirSync(server.dataDir)).not.toContain('admin-credentials.json');
    } finally {
      await server.stop();
    }
  });

  it('refuses to start with only one of the admin client variables set', async () => {
    await expect(startTestServer({ env: { KEYFORM_ADMIN_CLIENT_ID: 'kfc_admin_half', KEYFORM_ADMIN_CLIENT_SECRET: '' } })).rejects.toThrow(
      /Set both KEYFORM_ADMIN_CLIENT_ID and KEYFORM_ADMIN_CLIENT_SECRET, or neither/,
    );
  });
});
