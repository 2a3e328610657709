/**
 * `GET /healthz` for a load balancer: no bearer, 200 while the instance and its store answer, 503
 * (with Retry-After) while the store does not, and 200 again once it is back. Runs on both stores; the
 * store outage is made on PostgreSQL (the database refuses connections), where it happens in practice.
 */
import { Client } from 'pg';
import { startTestServer, testPostgres, type TestServer } from '../support/server';
import { call } from './http';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

/** Runs a statement on the cluster's maintenance database (the served one is about to refuse connections). */
async function onCluster(databaseUrl: string, sql: string): Promise<void> {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

it('answers 200 {"status":"ok"} without a bearer, and 400 to an unknown query parameter', async () => {
  const res = await call(server.url, 'GET', '/healthz');
  expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { status: 'ok' } });
  expect((await call(server.url, 'GET', '/healthz?verbose=1')).status).toBe(400);
  expect((await call(server.url, 'POST', '/healthz')).status).toBe(405);
});

it('answers 503 while the PostgreSQL database refuses connections, and 200 once it accepts them again', async () => {
  const databaseUrl = await (await testPostgres()).createDatabase();
  const name = new URL(databaseUrl).pathname.slice(1);
  const pgServer = await startTestServer({ databaseUrl });
  try {
    expect((await call(pgServer.url, 'GET', '/healthz')).status).toBe(200);
    await onCluster(databaseUrl, `ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await onCluster(databaseUrl, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
    const down = await call(pgServer.url, 'GET', '/healthz');
    expect({ status: down.status, retryAfter: down.headers.get('retry-after') }).toEqual({ status: 503, retryAfter: '1' });
    expect(down.body.errors).toEqual(['Unavailable: this instance cannot reach its store. Retry, or use another instance.']);
    await onCluster(databaseUrl, `ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    expect((await call(pgServer.url, 'GET', '/healthz')).status).toBe(200);
  } finally {
    await onCluster(databaseUrl, `ALTER DATABASE ${name} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await pgServer.stop();
  }
});
