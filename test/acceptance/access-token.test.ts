/**
 * `ephemeral "keyform_access_token"` against the real Terraform CLI, the bundled provider and the
 * reference server with 4-second tokens: a token minted for the run configures an aliased keyform
 * provider that creates a key after a 7-second step, so the apply succeeds only if the same bearer is
 * renewed; every token is revoked when its run ends, and no token or client secret appears in the
 * state, the plan file or a TF_LOG=trace line.
 */
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipEntries } from '../support/zip';
import { acceptanceSuite, header } from './workspace';

jest.setTimeout(240_000);

const { server, client, workspace } = acceptanceSuite({ server: { args: ['--token-ttl', '4'] } });
const ws = workspace();

const NAME = 'minted-with-a-run-token';

const config = (keyBlock: string) => `${header()}
ephemeral "keyform_access_token" "run" {}

provider "keyform" {
  alias = "narrow"
  token = ephemeral.keyform_access_token.run.access_token
}

# Outlasts the token lifetime (4 s) before the key is created with the run token.
resource "terraform_data" "slow" {
  provisioner "local-exec" {
    command = "sleep 7"
  }
}
${keyBlock}
`;

const KEY = `
resource "keyform_api_key" "k" {
  provider   = keyform.narrow
  name       = "${NAME}"
  type       = "secret"
  scopes     = ["customers:read"]
  depends_on = [terraform_data.slow]
}
`;

/** Access tokens the server still accepts. The test itself never holds one while this is checked. */
function liveTokens(): number {
  const db = new Database(join(server.dataDir, 'keyform.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM access_tokens WHERE expires_at_ms > ?').get(Date.now()) as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Token-route requests the server logged, as `METHOD path status`. */
function tokenRequests(): string[] {
  return server
    .stderr()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg?: string; method?: string; path?: string; status?: number })
    .filter((l) => l.msg === 'request' && l.path?.startsWith('/oauth2/'))
    .map((l) => `${l.method} ${l.path} ${l.status}`);
}
const count = (list: string[], entry: string) => list.filter((x) => x === entry).length;

/** Everything Terraform persisted or printed: state, backup, plan file entries, every output. */
function everything(): string {
  const parts = [...ws.transcript, ws.stateFile()];
  try {
    parts.push(readFileSync(join(ws.dir, 'terraform.tfstate.backup'), 'utf8'));
  } catch {
    // no backup yet
  }
  for (const [, b] of zipEntries(readFileSync(join(ws.dir, 'plan.tfplan')))) parts.push(b.toString('latin1'));
  return parts.join('\n');
}


test('the schema offers keyform_access_token as an ephemeral resource with a sensitive access_token', async () => {
  const r = await ws.run(['providers', 'schema', '-json']);
  expect(r.code).toBe(0);
  const e = JSON.parse(r.stdout).provider_schemas['registry.terraform.io/keyform/keyform'].ephemeral_resource_schemas.keyform_access_token;
  expect(e.block.attributes.access_token).toMatchObject({ computed: true, sensitive: true });
  expect(e.block.attributes.client_secret).toMatchObject({ optional: true, sensitive: true });
});

test('a run token configures an aliased provider that creates a key across a long apply; it is renewed, revoked at the end, and in no state, plan file or trace line', async () => {
  ws.write(config(KEY));
  const plan = await ws.run(['plan', '-input=false', '-out', 'plan.tfplan'], { TF_LOG: 'trace' });
  expect(plan.code).toBe(0);
  expect(plan.stdout).toContain('keyform_api_key.k will be created');
  const apply = await ws.run(['apply', '-input=false', 'plan.tfplan'], { TF_LOG: 'trace' });
  expect(apply.code).toBe(0);
  expect(apply.stderr).toContain('OpenEphemeralResource');

  const calls = tokenRequests();
  // One token for the plan and one for the apply, each revoked when its run ended; the apply's was
  // renewed while the slow step ran (and the key creation after it succeeded with that same bearer).
  expect(count(calls, 'POST /oauth2/token 200')).toBe(2);
  expect(count(calls, 'POST /oauth2/renew 200')).toBeGreaterThanOrEqual(2);
  expect(count(calls, 'POST /oauth2/revoke 200')).toBe(2);
  expect(liveTokens()).toBe(0);
  expect(calls.filter((c) => !c.endsWith(' 200'))).toEqual([]);

  const all = everything();
  expect(all).not.toMatch(/kfat_/);
  expect(all).not.toContain(server.adminClientSecret);
  // The state may name the ephemeral resource as a dependency, never hold it.
  const state = JSON.parse(ws.stateFile()) as { resources: { mode: string; type: string }[] };
  expect(state.resources.map((r) => `${r.mode}.${r.type}`).sort()).toEqual(['managed.keyform_api_key', 'managed.terraform_data']);

  const keys = await client.listApiKeys({ name: NAME });
  expect(keys.data.map((k) => k.name)).toEqual([NAME]);
  expect(ws.resource('keyform_api_key.k')?.id).toBe(keys.data[0].id);
});

test('the next plan is empty, and destroy removes the key through the aliased provider; every run token is revoked', async () => {
  const before = tokenRequests();
  const plan = await ws.plan();
  expect(plan.code).toBe(0);
  await ws.destroy();
  const after = tokenRequests();
  // Each run (the plan, and each walk of the destroy) mints its own token and revokes it at its end.
  const minted = count(after, 'POST /oauth2/token 200') - count(before, 'POST /oauth2/token 200');
  expect(minted).toBeGreaterThanOrEqual(2);
  expect(count(after, 'POST /oauth2/revoke 200') - count(before, 'POST /oauth2/revoke 200')).toBe(minted);
  expect(liveTokens()).toBe(0);
  const keys = await client.listApiKeys({ name: NAME, status: 'active' });
  expect(keys.data).toEqual([]);
});

test('client credentials given on the resource are used instead of the provider\'s; a wrong secret fails the run without printing it', async () => {
  const WRONG = 'kfcs_not_the_secret_0123456789abcdef';
  ws.write(`${header()}
ephemeral "keyform_access_token" "run" {
  client_id     = "${server.adminClientId}"
  client_secret = "${WRONG}"
}
provider "keyform" {
  alias = "narrow"
  token = ephemeral.keyform_access_token.run.access_token
}
data "keyform_scopes" "all" {
  provider = keyform.narrow
}
`);
  const r = await ws.plan();
  expect(r.code).toBe(1);
  expect(r.output).toContain('Could not obtain an access token');
  expect(r.output).toContain('Invalid client_id or client_secret');
  expect(r.output).not.toContain(WRONG);
});

test('a configuration cannot move the token into an output or a stored argument: Terraform refuses before minting one', async () => {
  const minted = count(tokenRequests(), 'POST /oauth2/token 200');
  ws.write(`${header()}
ephemeral "keyform_access_token" "run" {}

output "leak" {
  value     = ephemeral.keyform_access_token.run.access_token
  sensitive = true
}

resource "keyform_api_key" "leak" {
  name        = "leak"
  type        = "secret"
  scopes      = ["customers:read"]
  description = ephemeral.keyform_access_token.run.access_token
}
`);
  const r = await ws.plan();
  expect(r.code).toBe(1);
  expect(r.output).toMatch(/Ephemeral value not allowed|Invalid use of ephemeral value/);
  expect(r.output).not.toMatch(/kfat_/);
  expect(count(tokenRequests(), 'POST /oauth2/token 200')).toBe(minted);
});

test('half of a client credential pair is refused at validation, naming the missing argument', async () => {
  ws.write(`${header()}
ephemeral "keyform_access_token" "run" {
  client_id = "${server.adminClientId}"
}
`);
  const r = await ws.plan();
  expect(r.code).toBe(1);
  expect(r.output).toContain('Missing client_secret');
  expect(r.output).toContain('KF-TOKEN-002');
});
