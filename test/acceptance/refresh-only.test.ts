/**
 * Refresh-only plans against the real Terraform CLI, the bundled provider and the reference server:
 * over objects nobody changed, `terraform plan -refresh-only -detailed-exitcode` must exit 0, so
 * drift checks in CI do not page anyone. Terraform calls such a plan applyable (exit 2) whenever the
 * refreshed state differs from the upgraded one in any way, even in how a number is held in memory.
 */
import { header, acceptanceSuite } from './workspace';

jest.setTimeout(180_000);

const { workspace } = acceptanceSuite();
const ws = workspace();

describe('refresh-only plans over unchanged keys', () => {
  it('GIVEN applied keys (one holding its secret in state, one delivering it to a file) WHEN nothing changed THEN a refresh-only plan exits 0', async () => {
    ws.write(`${header()}
resource "keyform_api_key" "held" {
  name   = "held in state"
  type   = "secret"
  scopes = ["charges:read"]
}
resource "keyform_api_key" "delivered" {
  name   = "delivered to a file"
  type   = "secret"
  scopes = ["charges:read"]
  secret_delivery {
    file = "delivered.key"
  }
}
`);
    await ws.apply();
    expect(ws.resource('keyform_api_key.held')?.version).toBe(1);

    const plan = await ws.run(['plan', '-input=false', '-refresh-only', '-detailed-exitcode']);

    expect(plan.output).toContain('found no differences');
    expect(plan.code).toBe(0);
  });
});
