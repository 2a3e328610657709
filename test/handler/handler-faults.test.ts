/**
 * The handler through the reference server's fault injection: errors before the change, responses
 * lost after the change was committed, dropped connections and 429s. Creates, rotations and revokes
 * still converge: no duplicate key, no double rotation.
 */
import { KeyformClient } from '../../src/client';
import { ApiKeyHandler, KeyformApi, Limiter } from '../../src/handler';
import { startTestServer, TestServer } from '../support/server';
import { desired } from './desired-key';

jest.setTimeout(60_000);

let server: TestServer;
let faulty: KeyformClient;

beforeAll(async () => {
  server = await startTestServer({ faults: '500=0.15,429=0.05,drop=0.05,after=0.15,after-drop=0.05' });
  faulty = new KeyformClient({
    endpoint: server.url,
    clientId: server.adminClientId,
    clientSecret: server.adminClientSecret,
    // Enough retries that a run of injected faults cannot exhaust them, with short waits.
    maxRetries: 12,
    retry: { baseDelayMs: 5, maxDelayMs: 40, maxRetryAfterMs: 50 },
  });
});

afterAll(async () => {
  await faulty?.close();
  await server?.stop();
});


it('GIVEN injected faults WHEN 12 keys are created, rotated and revoked in parallel THEN each exists once, rotated exactly once, then revoked', async () => {
  const keys = new ApiKeyHandler(faulty as unknown as KeyformApi, new Limiter(4));
  const names = Array.from({ length: 12 }, (_, i) => `faulty ${i}`);
  const created = await Promise.all(names.map((n) => keys.create(desired(n), n)));
  const all = (await faulty.listAllApiKeys({ mid: 'mid_123456', status: 'active' })).filter((k) => k.name.startsWith('faulty '));
  expect(all.map((k) => k.name).sort()).toEqual([...names].sort());
  expect(new Set(created.map((c) => c.observed.id)).size).toBe(12);

  const rotated = await Promise.all(created.map((c) => keys.rotate(c.observed.id, c.observed.version, 3600, c.observed.id)));
  expect(rotated.map((r) => r.observed.version)).toEqual(created.map(() => 2));
  for (const c of created) expect((await faulty.getApiKey(c.observed.id)).version).toBe(2);

  await Promise.all(created.map((c) => keys.revoke(c.observed.id, c.observed.id)));
  for (const c of created) expect((await faulty.getApiKey(c.observed.id)).status).toBe('revoked');
});
