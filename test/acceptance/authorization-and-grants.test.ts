/**
 * keyform_oauth_authorization, keyform_project_access and keyform_mcp_server_grant, plus the catalog
 * data sources, against the real Terraform CLI and reference server. Also: refusals at plan time,
 * the API's refusals explained, and an unreachable server.
 */
import { NotFoundError } from '../../src/client';
import { header, acceptanceSuite } from './workspace';

jest.setTimeout(180_000);

const { client, workspace } = acceptanceSuite();

interface Shape {
  kind?: string;
  capabilities: string;
  role: string;
  server: string;
}

const config = (s: Shape) => `${header()}
resource "keyform_oauth_authorization" "claude" {
  name         = "claude-code"
  owner_id     = "usr_alice"
${s.kind ? `  kind         = "${s.kind}"\n` : ''}  capabilities = ${s.capabilities}
}
resource "keyform_project_access" "payments" {
  authorization_id = keyform_oauth_authorization.claude.id
  project_id       = "proj_payments"
  role             = "${s.role}"
}
resource "keyform_mcp_server_grant" "flow" {
  authorization_id = keyform_oauth_authorization.claude.id
  mcp_server_id    = "${s.server}"
  depends_on       = [keyform_project_access.payments]
}
data "keyform_projects" "all" {}
data "keyform_mcp_servers" "payments" {
  project_id = "proj_payments"
}
data "keyform_scopes" "all" {}
output "projects" { value = data.keyform_projects.all.ids }
output "payment_servers" { value = data.keyform_mcp_servers.payments.ids }
output "scope_count" { value = length(data.keyform_scopes.all.scopes) }
`;

describe('authorization with project access and an MCP-server grant', () => {
  const ws = workspace();
  let authId = '';

  it('GIVEN the three resources WHEN applied THEN the server holds them, the catalogs are read, and the next plan is empty', async () => {
    ws.write(config({ capabilities: '["mcp", "api"]', role: 'viewer', server: 'billing-flow' }));
    await ws.apply();
    const auth = ws.resource('keyform_oauth_authorization.claude')!;
    authId = auth.id as string;
    expect(auth).toMatchObject({ kind: 'oauth2', owner_id: 'usr_alice', capabilities: ['api', 'mcp'] });
    expect(typeof auth.client_id).toBe('string');
    expect(ws.resource('keyform_project_access.payments')!.id).toBe(`${authId}/proj_payments`);
    expect(ws.resource('keyform_mcp_server_grant.flow')!.id).toBe(`${authId}/billing-flow`);
    const onServer = await client.getAuthorization(authId);
    expect(onServer.project_access).toEqual([{ project_id: 'proj_payments', role: 'viewer' }]);
    expect(onServer.mcp_servers).toEqual(['billing-flow']);
    const out = JSON.parse((await ws.run(['output', '-json'])).stdout);
    expect(out.projects.value).toEqual(['proj_payments', 'proj_platform', 'proj_support']);
    expect(out.payment_servers.value).toEqual(['billing-flow', 'refunds-flow']);
    expect(out.scope_count.value).toBeGreaterThanOrEqual(20);
    expect((await ws.plan()).code).toBe(0);
  });

  it('WHEN a capability and the role change THEN both update in place with the same ids', async () => {
    ws.write(config({ capabilities: '["mcp", "api", "apps:view"]', role: 'editor', server: 'billing-flow' }));
    const plan = await ws.plan();
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('keyform_oauth_authorization.claude will be updated in-place');
    expect(plan.stdout).toContain('keyform_project_access.payments will be updated in-place');
    expect(plan.stdout).toContain('Plan: 0 to add, 2 to change, 0 to destroy.');
    await ws.apply();
    expect(ws.resource('keyform_oauth_authorization.claude')!.id).toBe(authId);
    const onServer = await client.getAuthorization(authId);
    expect([...onServer.capabilities].sort()).toEqual(['api', 'apps:view', 'mcp']);
    expect(onServer.project_access).toEqual([{ project_id: 'proj_payments', role: 'editor' }]);
    // The authorization resource never fights the grant resources over project access or MCP servers.
    expect(onServer.mcp_servers).toEqual(['billing-flow']);
    expect((await ws.plan()).code).toBe(0);
  });

  it('WHEN the MCP server changes THEN the grant is replaced (-/+)', async () => {
    ws.write(config({ capabilities: '["mcp", "api", "apps:view"]', role: 'editor', server: 'refunds-flow' }));
    const plan = await ws.plan();
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('-/+ resource "keyform_mcp_server_grant" "flow"');
    expect(plan.stdout).toMatch(/mcp_server_id\s+= "billing-flow" -> "refunds-flow" # forces replacement/);
    await ws.apply();
    expect((await client.getAuthorization(authId)).mcp_servers).toEqual(['refunds-flow']);
    expect((await ws.plan()).code).toBe(0);
  });

  it('GIVEN changes made through the API WHEN planning THEN each shows as drift, and apply reverts them', async () => {
    await client.deleteMcpServerGrant(authId, 'refunds-flow');
    await client.putProjectAccess(authId, 'proj_payments', { role: 'viewer' });
    await client.updateAuthorization(authId, { capabilities: ['mcp', 'api', 'apps:view', 'flows:edit'] });
    const plan = await ws.plan();
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('keyform_mcp_server_grant.flow will be created');
    expect(plan.stdout).toMatch(/~ role\s+= "viewer" -> "editor"/);
    expect(plan.stdout).toContain('- "flows:edit"');
    await ws.apply();
    const onServer = await client.getAuthorization(authId);
    expect([...onServer.capabilities].sort()).toEqual(['api', 'apps:view', 'mcp']);
    expect(onServer.project_access).toEqual([{ project_id: 'proj_payments', role: 'editor' }]);
    expect(onServer.mcp_servers).toEqual(['refunds-flow']);
    expect((await ws.plan()).code).toBe(0);
  });

  it('WHEN all three are imported by id THEN the plan is empty', async () => {
    for (const a of ['keyform_mcp_server_grant.flow', 'keyform_project_access.payments', 'keyform_oauth_authorization.claude']) {
      expect((await ws.run(['state', 'rm', a])).code).toBe(0);
    }
    for (const [address, id] of [
      ['keyform_oauth_authorization.claude', authId],
      ['keyform_project_access.payments', `${authId}/proj_payments`],
      ['keyform_mcp_server_grant.flow', `${authId}/refunds-flow`],
    ]) {
      const r = await ws.import(address, id);
      expect({ address, code: r.code, output: r.code ? r.output : '' }).toEqual({ address, code: 0, output: '' });
    }
    expect(ws.resource('keyform_oauth_authorization.claude')!.client_secret).toBeNull();
    expect(ws.resource('keyform_project_access.payments')!.role).toBe('editor');
    expect((await ws.plan()).code).toBe(0);
  });

  it('WHEN the kind changes THEN the authorization and its grants are replaced', async () => {
    ws.write(config({ kind: 'api_key', capabilities: '["mcp", "api", "apps:view"]', role: 'editor', server: 'refunds-flow' }));
    const plan = await ws.plan();
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('-/+ resource "keyform_oauth_authorization" "claude"');
    expect(plan.stdout).toMatch(/kind\s+= "oauth2" -> "api_key" # forces replacement/);
    // Their authorization_id becomes known only after apply: the grants are replaced with it.
    expect(plan.stdout).toContain('-/+ resource "keyform_project_access" "payments"');
    expect(plan.stdout).toContain('-/+ resource "keyform_mcp_server_grant" "flow"');
    expect(plan.stdout).toContain('Plan: 3 to add, 0 to change, 3 to destroy.');
    await ws.apply();
    const newId = ws.resource('keyform_oauth_authorization.claude')!.id as string;
    expect(newId).not.toBe(authId);
    await expect(client.getAuthorization(authId)).rejects.toBeInstanceOf(NotFoundError);
    authId = newId;
    expect((await ws.plan()).code).toBe(0);
  });

  it('WHEN the grant and the project access leave the config THEN both are removed on the server, grant first', async () => {
    const full = config({ kind: 'api_key', capabilities: '["mcp", "api", "apps:view"]', role: 'editor', server: 'refunds-flow' });
    ws.write(full.replace(/resource "keyform_project_access"[\s\S]*?\n}\nresource "keyform_mcp_server_grant"[\s\S]*?\n}\n/, ''));
    const plan = await ws.plan();
    expect(plan.stdout).toContain('Plan: 0 to add, 0 to change, 2 to destroy.');
    await ws.apply();
    const onServer = await client.getAuthorization(authId);
    expect(onServer.project_access).toEqual([]);
    expect(onServer.mcp_servers).toEqual([]);
    expect((await ws.plan()).code).toBe(0);
  });

  it('WHEN destroyed THEN the authorization is gone from the server', async () => {
    await ws.destroy();
    await expect(client.getAuthorization(authId)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('refusals', () => {
  const ws = workspace();

  it('refuses a capability without its prerequisite at plan time, naming the attribute', async () => {
    ws.write(`${header()}
resource "keyform_oauth_authorization" "admin" {
  name         = "apps admin"
  owner_id     = "usr_alice"
  capabilities = ["apps:admin"]
}
`);
    const r = await ws.plan();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Capability "apps:admin" needs "apps:view"');
    expect(r.stderr).toMatch(/capabilities = \["apps:admin"\]/);
  });

  it('explains an MCP grant without access to the server’s project', async () => {
    ws.write(`${header()}
resource "keyform_oauth_authorization" "a" {
  name         = "no projects"
  owner_id     = "usr_alice"
  capabilities = ["mcp"]
}
resource "keyform_mcp_server_grant" "kb" {
  authorization_id = keyform_oauth_authorization.a.id
  mcp_server_id    = "support-kb"
}
`);
    const r = await ws.run(['apply', '-auto-approve']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('MCP server "support-kb" needs project access first');
    expect(r.stderr).toContain('proj_support');
    expect(r.stderr).toContain('keyform_project_access');
    await ws.destroy();
  });

  it('refuses at plan an authorization exceeding its owner, naming what the owner lacks', async () => {
    ws.write(`${header()}
resource "keyform_oauth_authorization" "bob" {
  name         = "bob's tool"
  owner_id     = "usr_bob"
  capabilities = ["secrets:edit"]
}
`);
    const r = await ws.run(['apply', '-auto-approve']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('owner usr_bob does not hold the secrets:edit capability');
    expect(r.stderr).toContain('[KF-HANDLER-038]');
    expect(r.stdout).not.toContain('Creating...');
  });

  it('GIVEN an unreachable endpoint THEN plan fails with a clear diagnostic, not a crash', async () => {
    ws.write(`${header('  endpoint = "http://127.0.0.1:9"')}
data "keyform_scopes" "all" {}
`);
    const r = await ws.plan();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Could not reach the Key Management API');
    expect(r.stderr).toContain('KEYFORM_ENDPOINT');
    expect(r.output).not.toMatch(/panic|plugin crashed|TypeError|at .*\.js:\d+/);
  });

  it('GIVEN no endpoint anywhere THEN the diagnostic names the attribute and the environment variable', async () => {
    ws.write(`${header()}
data "keyform_projects" "all" {}
`);
    const r = await ws.run(['plan'], { KEYFORM_ENDPOINT: '' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Missing keyform endpoint');
    expect(r.stderr).toContain('KEYFORM_ENDPOINT');
  });
});
