/**
 * A managed keyform_oauth_authorization is authoritative over its project roles and MCP servers: a
 * grant made by hand is drift (plan exit 2, named), apply removes it, the next plan is empty;
 * grants = "additive" leaves it alone. Grant resources keep working (their grants carry the keyform
 * origin). An owner who lost a role is named at plan instead of a 403 at apply.
 */
import { header, acceptanceSuite } from './workspace';

jest.setTimeout(240_000);

const { client, workspace } = acceptanceSuite();
const ws = workspace();

const config = (opts: { grants?: string; owner?: string; project?: string; role?: string } = {}) => `${header()}
resource "keyform_oauth_authorization" "claude" {
  name         = "authoritative assistant"
  owner_id     = "${opts.owner ?? 'usr_alice'}"
  capabilities = ["mcp", "api"]
${opts.grants ? `  grants       = "${opts.grants}"\n` : ''}}
resource "keyform_project_access" "payments" {
  authorization_id = keyform_oauth_authorization.claude.id
  project_id       = "${opts.project ?? 'proj_payments'}"
  role             = "${opts.role ?? 'viewer'}"
}
${opts.project ? '' : `resource "keyform_mcp_server_grant" "billing" {
  authorization_id = keyform_oauth_authorization.claude.id
  mcp_server_id    = "billing-flow"
  depends_on       = [keyform_project_access.payments]
}`}
`;

const grantsOf = async (id: string) => {
  const a = await client.getAuthorization(id);
  return { projects: a.project_access.map((p) => `${p.project_id}:${p.role}`).sort(), mcp: [...a.mcp_servers].sort() };
};

describe('authoritative grants', () => {
  let id = '';

  it('GIVEN an applied authorization with declared grants WHEN an MCP server and a project role are added by hand THEN plan shows them (exit 2), apply removes them, the next plan is empty', async () => {
    ws.write(config());
    await ws.apply();
    id = ws.resource('keyform_oauth_authorization.claude')!.id as string;
    expect((await ws.plan()).code).toBe(0);

    await client.putMcpServerGrant(id, 'refunds-flow');
    await client.putProjectAccess(id, 'proj_support', { role: 'editor' });
    const plan = await ws.plan();
    expect(plan.code).toBe(2);
    expect(plan.output).toContain('grants made by hand will be removed');
    expect(plan.output).toContain('MCP server refunds-flow');
    expect(plan.output).toContain('project proj_support (editor)');
    expect(plan.stdout).toMatch(/unmanaged_grants\s+= \[/);

    await ws.apply();
    expect(await grantsOf(id)).toEqual({ projects: ['proj_payments:viewer'], mcp: ['billing-flow'] });
    expect((await ws.plan()).code).toBe(0);
  });

  it('GIVEN a role raised by hand on a declared project access THEN the grant resource reverts it and the authorization does not remove it', async () => {
    await client.putProjectAccess(id, 'proj_payments', { role: 'admin' });
    const plan = await ws.plan();
    expect(plan.code).toBe(2);
    expect(plan.output).not.toContain('grants made by hand will be removed');
    await ws.apply();
    expect(await grantsOf(id)).toEqual({ projects: ['proj_payments:viewer'], mcp: ['billing-flow'] });
    expect((await ws.plan()).code).toBe(0);
  });

  it('GIVEN grants = "additive" WHEN a grant is added by hand THEN plan is empty and it stays', async () => {
    ws.write(config({ grants: 'additive' }));
    await ws.apply();
    await client.putMcpServerGrant(id, 'refunds-flow');
    expect((await ws.plan()).code).toBe(0);
    expect((await grantsOf(id)).mcp).toEqual(['billing-flow', 'refunds-flow']);
    // Back to authoritative: the hand-made grant is drift again.
    ws.write(config());
    const plan = await ws.plan();
    expect(plan.code).toBe(2);
    expect(plan.output).toContain('MCP server refunds-flow');
  });

  it('refuses an invalid grants value at validate', async () => {
    ws.write(config({ grants: 'sometimes' }));
    const r = await ws.plan();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Invalid grants');
    ws.write(config());
    await ws.apply();
    await ws.destroy();
  });
});

describe('an owner who lost a permission', () => {
  it('GIVEN a project access at editor WHEN its owner drops to viewer THEN plan names the missing role instead of a bare diff', async () => {
    await client.adminCreateUser({ id: 'usr_dana', mid: 'mid_123456', name: 'Dana', roles: [{ project_id: 'proj_platform', role: 'editor' }], capabilities: ['mcp', 'api'] });
    ws.write(config({ owner: 'usr_dana', project: 'proj_platform', role: 'editor' }));
    await ws.apply();
    expect((await ws.plan()).code).toBe(0);
    await client.adminCreateUser({ id: 'usr_dana', mid: 'mid_123456', name: 'Dana', roles: [{ project_id: 'proj_platform', role: 'viewer' }], capabilities: ['mcp', 'api'] });
    const plan = await ws.plan();
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('owner usr_dana no longer holds editor on proj_platform (holds viewer)');
    expect(plan.stderr).toContain('[KF-HANDLER-038]');
    await client.adminCreateUser({ id: 'usr_dana', mid: 'mid_123456', name: 'Dana', roles: [{ project_id: 'proj_platform', role: 'editor' }], capabilities: ['mcp', 'api'] });
    await ws.apply();
    expect((await ws.plan()).code).toBe(0);
    await ws.destroy();
  });
});
