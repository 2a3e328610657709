/**
 * Starts the real reference server in this process (loopback port, SQLite file in a temp dir, or a
 * PostgreSQL database in the `postgres` jest project) with
 * known admin credentials, for the client's integration tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startServer, StartServerOptions } from '../../src/server';
import { KeyformClient, KeyformClientOptions } from '../../src/client';
import { TEST_STORE, testPostgres } from '../support/server';

/** A running server and how to reach it as the admin OAuth client. */
export interface ClientTestServer {
  readonly url: string;
  readonly dataDir: string;
  readonly adminClientId: string;
  readonly adminClientSecret: string;
  /** A client authenticating with the admin client credentials. */
  adminClient(options?: Partial<KeyformClientOptions>): KeyformClient;
  stop(): Promise<void>;
}

/** Starts a server with the default seed; `options` may set faults, token lifetime, rate limit. */
export async function startClientTestServer(options: Partial<Omit<StartServerOptions, 'dataDir' | 'env'>> = {}): Promise<ClientTestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyform-client-'));
  const adminClientId = 'kfc_admin_clienttests';
  const adminClientSecret = `kfcs_${randomBytes(18).toString('hex')}`;
  const server = await startServer({
    quiet: true,
    ...options,
    dataDir,
    // The `postgres` jest project runs these suites on a fresh PostgreSQL database per server.
    databaseUrl: TEST_STORE === 'postgres' ? await (await testPostgres()).createDatabase() : undefined,
    env: { KEYFORM_ADMIN_CLIENT_ID: adminClientId, KEYFORM_ADMIN_CLIENT_SECRET: adminClientSecret },
    logSink: () => undefined,
  });
  return {
    url: server.url,
    dataDir,
    adminClientId,
    adminClientSecret,
    adminClient: (o = {}) => new KeyformClient({ endpoint: server.url, clientId: adminClientId, clientSecret: adminClientSecret, ...o }),
    async stop() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
