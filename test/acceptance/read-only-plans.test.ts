/**
 * Plans only read: after an apply of 50 keys (and an authorization with its grants), the first plan
 * sends nothing to the API but GETs and the token exchange, measured in the server's request log. The
 * crash-safety journal of the apply is settled by that plan locally, in Terraform's working directory.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { header, acceptanceSuite } from './workspace';

jest.setTimeout(240_000);

const { server, workspace } = acceptanceSuite({ server: { args: ['--rate-limit', '1000000'] } });
const ws = workspace();

/** The server's request log lines written after `offset` characters of its stderr. */
function requestsSince(offset: number): Array<{ method: string; route: string | null; status: number }> {
  return server
    .stderr()
    .slice(offset)
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg?: string; method: string; route: string | null; status: number })
    .filter((l) => l.msg === 'request');
}

const journalEntries = () => {
  const dir = join(ws.dir, '.terraform', 'keyform', 'pending');
  return existsSync(dir) ? readdirSync(dir) : [];
};

describe('read-only plans', () => {
  it('GIVEN an apply of 50 keys and an authorization with grants WHEN the first plan runs THEN it sends only GETs and the token exchange, and is empty', async () => {
    ws.write(`${header()}
resource "keyform_api_key" "k" {
  count  = 50
  name   = "read-only-plan-\${count.index}"
  type   = "secret"
  scopes = ["customers:read"]
}
resource "keyform_oauth_authorization" "a" {
  name         = "read-only-plan assistant"
  owner_id     = "usr_alice"
  capabilities = ["mcp"]
}
resource "keyform_project_access" "p" {
  authorization_id = keyform_oauth_authorization.a.id
  project_id       = "proj_payments"
  role             = "viewer"
}
resource "keyform_mcp_server_grant" "m" {
  authorization_id = keyform_oauth_authorization.a.id
  mcp_server_id    = "billing-flow"
  depends_on       = [keyform_project_access.p]
}
`);
    await ws.apply();
    // The apply journaled its 51 creates (keys and the authorization) until a plan meets them in state.
    expect(journalEntries()).toHaveLength(51);

    const offset = server.stderr().length;
    const plan = await ws.plan();
    expect(plan.code).toBe(0);
    await new Promise((r) => setTimeout(r, 200)); // the last log lines may still be in the pipe
    const requests = requestsSince(offset);
    const writes = requests.filter((r) => r.method !== 'GET' && r.route !== '/oauth2/token');
    expect(writes).toEqual([]);
    expect(requests.filter((r) => r.method === 'GET').length).toBeGreaterThan(0);
    expect(journalEntries()).toEqual([]);
  });
});
