/**
 * Every mutation of a live credential needs allow_live, with one message: creating it, changing it,
 * replacing it (mode switched to test: the delete half revokes the live key), destroying it, and
 * removing its resource block (planned as a destroy). Refused at plan, nothing changes on the server.
 */
import { header, acceptanceSuite } from './workspace';

jest.setTimeout(180_000);

const { client, workspace } = acceptanceSuite();
const ws = workspace();

const liveKey = (mode = 'live') => `
resource "keyform_api_key" "pay" {
  name   = "live guard payments"
  type   = "secret"
  mode   = "${mode}"
  scopes = ["payment_intents:write"]
}
`;
const ALLOW = { KEYFORM_ALLOW_LIVE: 'true' };

describe('allow_live guards every live mutation', () => {
  let id = '';
  beforeAll(async () => {
    ws.write(`${header()}${liveKey()}`);
    const r = await ws.run(['apply', '-auto-approve', '-input=false'], ALLOW);
    expect(r.code).toBe(0);
    id = ws.resource('keyform_api_key.pay')!.id as string;
  });

  const stillActive = async () => {
    const k = await client.getApiKey(id);
    expect({ status: k.status, version: k.version }).toEqual({ status: 'active', version: 1 });
  };

  it.each([
    { reason: 'its resource block is removed', config: () => header(), action: 'destroy' },
    { reason: 'its mode is switched to test (a replacement)', config: () => `${header()}${liveKey('test')}`, action: 'replace' },
  ])('GIVEN an applied live key WHEN $reason without allow_live THEN the plan is refused with one message and the key stays active', async ({ config, action }) => {
    ws.write(config());
    const plan = await ws.plan();
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain(`Live credentials need allow_live: refusing to ${action} API key ${id}`);
    expect(plan.stderr).toContain('[KF-HANDLER-019]');
    const apply = await ws.run(['apply', '-auto-approve', '-input=false']);
    expect(apply.code).toBe(1);
    await stillActive();
    // With allow_live the same change plans.
    expect((await ws.plan(ALLOW)).code).toBe(2);
  });

  it('GIVEN an applied live key WHEN destroyed without allow_live THEN refused, key active; with allow_live THEN revoked', async () => {
    ws.write(`${header()}${liveKey()}`);
    const refused = await ws.run(['destroy', '-auto-approve', '-input=false']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('[KF-HANDLER-019]');
    await stillActive();
    const r = await ws.run(['destroy', '-auto-approve', '-input=false'], ALLOW);
    expect(r.code).toBe(0);
    expect((await client.getApiKey(id)).status).toBe('revoked');
  });
});
