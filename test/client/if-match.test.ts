/**
 * The client's optimistic concurrency against the real server: every object it returns exposes the
 * server's ETag (`etagOf`), `ifMatch` sends it, a stale one fails with PreconditionFailedError (412,
 * not retried) and changes nothing; a read-modify-write that re-reads on 412 keeps every update.
 */
import { etagOf, KeyformClient, PreconditionFailedError } from '../../src/client';
import { startClientTestServer, ClientTestServer } from './server-fixture';

let server: ClientTestServer;
let admin: KeyformClient;

beforeAll(async () => {
  server = await startClientTestServer();
  admin = server.adminClient();
});
afterAll(async () => {
  await admin?.close();
  await server?.stop();
});

it('GIVEN a key read twice WHEN the first reader updates THEN the second reader’s If-Match update fails with 412 and changes nothing', async () => {
  const created = await admin.createApiKey({ mid: 'mid_123456', name: 'if-match', type: 'secret', scopes: ['charges:read'] });
  expect(etagOf(created)).toMatch(/^".+"$/);
  const a = await admin.getApiKey(created.id);
  const b = await admin.getApiKey(created.id);
  expect(etagOf(a)).toBe(etagOf(created));
  const updated = await admin.updateApiKey(created.id, { description: 'by a' }, { ifMatch: etagOf(a) });
  expect(etagOf(updated)).not.toBe(etagOf(a));
  const err = await admin.updateApiKey(created.id, { description: 'by b' }, { ifMatch: etagOf(b) }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PreconditionFailedError);
  expect(err).toMatchObject({ status: 412, code: 'KF-CLIENT-006', attempts: 1 });
  expect((await admin.getApiKey(created.id)).description).toBe('by a');
  await expect(admin.rotateApiKey(created.id, { grace_period_seconds: 60 }, { ifMatch: etagOf(b) })).rejects.toBeInstanceOf(PreconditionFailedError);
  await expect(admin.revokeApiKey(created.id, { ifMatch: etagOf(b) })).rejects.toBeInstanceOf(PreconditionFailedError);
  expect((await admin.getApiKey(created.id)).status).toBe('active');
  const revoked = await admin.revokeApiKey(created.id, { ifMatch: etagOf(updated) });
  expect(revoked.status).toBe('revoked');
});

it('GIVEN 20 concurrent read-modify-writes of the description WHEN each retries on 412 THEN all 20 appends are kept', async () => {
  const k = await admin.createApiKey({ mid: 'mid_123456', name: 'rmw', type: 'secret', description: '' });
  const append = async (i: number) => {
    for (;;) {
      const cur = await admin.getApiKey(k.id);
      try {
        await admin.updateApiKey(k.id, { description: `${cur.description ?? ''}[${i}]` }, { ifMatch: etagOf(cur) });
        return;
      } catch (e) {
        if (!(e instanceof PreconditionFailedError)) throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: 20 }, (_, i) => append(i)));
  const final = (await admin.getApiKey(k.id)).description ?? '';
  for (let i = 0; i < 20; i++) expect(final).toContain(`[${i}]`);
});
