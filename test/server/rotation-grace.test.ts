/**
 * Rotation never cuts a consumer off (issue 10 item 5): every previous secret keeps working until its
 * own grace period ends, up to a documented bound (MAX_PREVIOUS_SECRETS); past the bound the rotation
 * is refused with a 409 that says so; revoking ends every grace at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { MAX_PREVIOUS_SECRETS } from '../../src/server/api-keys';
import { startTestServer, type TestServer } from '../support/server';
import { as, call } from './http';

jest.setTimeout(60_000);

let server: TestServer;
let admin: ReturnType<typeof as>;

beforeAll(async () => {
  server = await startTestServer({ args: ['--quiet'] });
  admin = as(server.url, await server.adminToken());
});
afterAll(async () => {
  await server.stop();
});

const works = async (value: string) => (await call(server.url, 'GET', '/v1/scopes', { token: value })).status === 200;

it('keeps all three secrets of two rotations in a row working until each one’s own grace ends', async () => {
  const k = (await admin.post('/v1/api-keys', { mid: 'mid_123456', name: 'two rotations', type: 'secret' })).body;
  // v1 gets the longer grace, v2 the shorter: each must end at its own time, not at the latest rotation.
  const r1 = (await admin.post(`/v1/api-keys/${k.id}/rotate`, { grace_period_seconds: 4 })).body;
  const r2 = (await admin.post(`/v1/api-keys/${k.id}/rotate`, { grace_period_seconds: 2 })).body;
  expect(r2.version).toBe(3);
  expect([await works(k.value), await works(r1.value), await works(r2.value)]).toEqual([true, true, true]);
  await sleep(2300);
  expect([await works(k.value), await works(r1.value), await works(r2.value)]).toEqual([true, false, true]);
  await sleep(2000);
  expect([await works(k.value), await works(r1.value), await works(r2.value)]).toEqual([false, false, true]);
});

it(`keeps at most ${MAX_PREVIOUS_SECRETS} previous secrets in grace and refuses the next rotation with a 409 that says so`, async () => {
  const k = (await admin.post('/v1/api-keys', { mid: 'mid_123456', name: 'bounded', type: 'secret' })).body;
  const values = [k.value as string];
  for (let i = 0; i < MAX_PREVIOUS_SECRETS; i++) values.push((await admin.post(`/v1/api-keys/${k.id}/rotate`, { grace_period_seconds: 3600 })).body.value);
  const refused = await admin.post(`/v1/api-keys/${k.id}/rotate`, { grace_period_seconds: 3600 });
  expect(refused.status).toBe(409);
  expect(refused.body.errors[0]).toMatch(new RegExp(`^Cannot rotate API key ${k.id}: ${MAX_PREVIOUS_SECRETS} previous secrets are still in their grace period .* a rotation never cuts one off\\. Retry after `));
  // Nothing was cut: every one of the 11 secrets still works, and the version did not move.
  for (const v of values) expect(await works(v)).toBe(true);
  expect((await admin.get(`/v1/api-keys/${k.id}`)).body.version).toBe(MAX_PREVIOUS_SECRETS + 1);
  // A rotation without grace keeps no previous secret, so it is not bounded; it cuts only the current value.
  const cut = await admin.post(`/v1/api-keys/${k.id}/rotate`, { grace_period_seconds: 0 });
  expect(cut.status).toBe(200);
  expect(await works(values[values.length - 1])).toBe(false);
  expect(await works(values[0])).toBe(true);
});

it('ends every grace at once on revoke', async () => {
  const k = (await admin.post('/v1/api-keys', { mid: 'mid_123456', name: 'revoked in grace', type: 'secret' })).body;
  const r1 = (await admin.post(`/v1/api-keys/${k.id}/rotate`, { grace_period_seconds: 3600 })).body;
  const r2 = (await admin.post(`/v1/api-keys/${k.id}/rotate`, { grace_period_seconds: 3600 })).body;
  expect([await works(k.value), await works(r1.value), await works(r2.value)]).toEqual([true, true, true]);
  await admin.del(`/v1/api-keys/${k.id}`);
  expect([await works(k.value), await works(r1.value), await works(r2.value)]).toEqual([false, false, false]);
});
