/**
 * `keyform review` of plans made by the real Terraform CLI with keyform's provider against the
 * reference server: names resolved through configuration references, rotation recognised, and no
 * secret from the state (which the plan JSON carries as sensitive prior values) in any output; and
 * `keyform rotation-report` of the same working directory.
 * Requires `npm run build` first (the provider bundle and `keyform serve`).
 */
import { join } from 'node:path';
import { runReview } from '../../src/review/run-review';
import { runRotationReport } from '../../src/rotation/run-report';
import { acceptanceSuite, header } from '../acceptance/workspace';

jest.setTimeout(180_000);

const { workspace } = acceptanceSuite();
const ws = workspace({}, { destroy: true });

const config = (o: { capabilities: string; role: string; scopes: string }) => `${header('  allow_live = true')}
resource "keyform_api_key" "pay" {
  name   = "payments-svc"
  type   = "secret"
  mode   = "live"
  scopes = ${o.scopes}
  rotation {
    every        = "1s"
    grace_period = "1h"
  }
}
resource "keyform_oauth_authorization" "claude" {
  name         = "claude-code"
  owner_id     = "usr_alice"
  mode         = "live"
  capabilities = ${o.capabilities}
}
resource "keyform_project_access" "payments" {
  authorization_id = keyform_oauth_authorization.claude.id
  project_id       = "proj_payments"
  role             = "${o.role}"
}
resource "keyform_mcp_server_grant" "billing" {
  authorization_id = keyform_oauth_authorization.claude.id
  mcp_server_id    = "billing-flow"
  depends_on       = [keyform_project_access.payments]
}
`;

async function planFile(): Promise<string> {
  const r = await ws.run(['plan', '-input=false', '-out=tfplan']);
  if (r.code !== 0) throw new Error(`terraform plan failed:\n${r.output}`);
  return join(ws.dir, 'tfplan');
}

it('GIVEN a new authorization with its grants WHEN reviewing the binary plan THEN the grants are named after it', async () => {
  ws.write(config({ capabilities: '["mcp"]', role: 'viewer', scopes: '["charges:read"]' }));
  const out = await runReview(await planFile(), { format: 'text', failOn: 'new-live' });
  expect(out.exitCode).toBe(3);
  expect(out.report).toContain('authorization claude-code (LIVE) gains viewer on project proj_payments; may now reach MCP server billing-flow');
  expect(out.report).toContain('payments-svc (LIVE) is a new secret key for merchant mid_123456 with scopes charges:read');
  expect(out.report).toContain('authorization claude-code (LIVE) is a new oauth2 authorization acting for user usr_alice with capabilities mcp');
});

it('GIVEN applied credentials WHEN a change escalates them and a rotation is due THEN the review says so and shows no secret', async () => {
  await ws.apply();
  const secrets = [ws.resource('keyform_api_key.pay')?.value, ws.resource('keyform_oauth_authorization.claude')?.client_secret];
  expect(secrets.every((s) => typeof s === 'string' && s.length > 10)).toBe(true);
  await new Promise((r) => setTimeout(r, 1100)); // let `every = "1s"` pass

  // The rotation report reads the working directory's state through `terraform show -json`.
  const report = await runRotationReport({ dir: ws.dir, format: 'json' });
  expect(report.exitCode).toBe(2);
  expect(JSON.parse(report.report).keys).toEqual([
    expect.objectContaining({ address: 'keyform_api_key.pay', status: 'due', every: '1s', grace_period: '1h', policy: 'declared', mode: 'live' }),
  ]);
  for (const s of secrets) expect(report.report).not.toContain(s as string);

  ws.write(config({ capabilities: '["mcp", "secrets:edit"]', role: 'editor', scopes: '["charges:read", "refunds:write"]' }));
  const plan = await planFile();
  for (const format of ['markdown', 'text', 'json']) {
    const out = await runReview(plan, { format });
    for (const s of secrets) expect(out.report).not.toContain(s as string);
  }
  const md = (await runReview(plan, { format: 'markdown' })).report;
  expect(md).toContain('| **LIVE** | `payments-svc` (LIVE) gains `refunds:write` |');
  expect(md).toContain('authorization `claude-code` (LIVE) gains `secrets:edit`; role on project `proj_payments` rises from `viewer` to `editor`');
  expect(md).toContain('`payments-svc` (LIVE) is rotated: a new secret is issued; the previous one keeps working for `1h`');
});
