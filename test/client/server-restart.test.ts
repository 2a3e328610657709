/**
 * The client against `keyform serve` as a separate process (requires `npm run build`): a server that
 * crashes and comes back on the same port is ridden out by the retries, with the cached token kept.
 */
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { KeyformClient, RequestEvent } from '../../src/client';
import { startTestServer, TestServer } from '../support/server';

let server: TestServer;

/** Resolves once nothing accepts connections at `url` any more (the killed process is gone). */
async function untilRefused(url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  for (;;) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(Number(port), hostname);
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    if (refused) return;
    await sleep(10);
  }
}
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

it('GIVEN the server is killed and restarted WHEN calls are in flight THEN they all succeed through retries', async () => {
  const events: RequestEvent[] = [];
  const c = new KeyformClient({
    endpoint: server.url,
    clientId: server.adminClientId,
    clientSecret: server.adminClientSecret,
    maxRetries: 40,
    retry: { baseDelayMs: 20, maxDelayMs: 200 },
    onRequest: (e) => events.push(e),
  });
  await c.listProjects();
  server.kill('SIGKILL');
  await untilRefused(server.url);
  const restarted = server.restart();
  const created = await Promise.all(
    Array.from({ length: 5 }, (_, i) => c.createApiKey({ mid: 'mid_123456', name: `restart-${i}`, type: 'secret' })),
  );
  await restarted;
  expect(new Set(created.map((k) => k.id)).size).toBe(5);
  const keys = (await c.listAllApiKeys()).filter((k) => k.name.startsWith('restart-'));
  await c.close();
  expect(keys).toHaveLength(5);
  // The connection failures were retried, and the token cached before the crash kept working after it.
  expect(events.some((e) => e.errorCode !== undefined)).toBe(true);
  expect(events.filter((e) => e.routeId === 'createToken')).toHaveLength(1);
});
