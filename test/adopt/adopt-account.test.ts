/**
 * `keyform adopt` end to end: objects made through the API (every key type and mode, expiry,
 * descriptions, full-access keys, duplicate names, a hostile name; authorizations with project roles
 * and MCP servers) are adopted by the real CLI in both formats; the real Terraform CLI then plans
 * imports only, applies, and plans nothing. Requires `npm run build`.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { KeyformClient } from '../../src/client';
import { startTestServer, TestServer } from '../support/server';
import { installTestProvider, TerraformWorkdir, TestProvider } from '../support/terraform';

jest.setTimeout(300_000);

const ROOT = resolve(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'keyform');

/**
 * A name written to break out of an HCL string, an HCL template and a TypeScript string. (The API
 * refuses control characters in names now; the escaping of newlines is covered by generation.test.ts.)
 */
const HOSTILE = 'evil" } resource "keyform_api_key" "pwn" { name = "${file("/etc/passwd")}" %{ if true }x%{ endif } "); process.exit(3); //\' */ `${process.exit(4)}` $${x} $$${y} %%{z} \\';

let server: TestServer;
let admin: KeyformClient;
let provider: TestProvider;
const secrets: string[] = [];
const ids: Record<string, string> = {};

function run(args: string[], env: Record<string, string>, cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 1 << 26 }, (err, stdout, stderr) =>
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function credentials(): Record<string, string> {
  return { KEYFORM_ENDPOINT: server.url, KEYFORM_CLIENT_ID: server.adminClientId, KEYFORM_CLIENT_SECRET: server.adminClientSecret, KEYFORM_TOKEN: '', KEYFORM_MID: 'mid_123456' };
}

beforeAll(async () => {
  server = await startTestServer();
  admin = new KeyformClient({ endpoint: server.url, clientId: server.adminClientId, clientSecret: server.adminClientSecret });
  provider = await installTestProvider({ bundle: join(ROOT, 'dist/provider/keyform-plugin.js') });
  const mid = 'mid_123456';
  const later = new Date(Date.now() + 400 * 24 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const made = [
    await admin.createApiKey({ mid, name: 'support-assistant', type: 'secret', scopes: ['customers:read', 'charges:read'], description: 'Support lookups "only", no ${writes}' }),
    await admin.createApiKey({ mid, name: 'payment-service', type: 'secret', mode: 'live', scopes: ['payment_intents:write', 'refunds:write'], expires_at: later }),
    await admin.createApiKey({ mid, name: 'checkout-web', type: 'public', scopes: ['checkout_sessions:write'] }),
    await admin.createApiKey({ mid, name: 'vault', type: 'tokenization', mode: 'live' }),
    await admin.createApiKey({ mid, name: 'ops-full-access', type: 'secret', description: '' }),
    await admin.createApiKey({ mid, name: 'ci', type: 'secret', scopes: ['products:read'] }),
    await admin.createApiKey({ mid, name: 'CI', type: 'secret', scopes: ['prices:read'] }),
    await admin.createApiKey({ mid, name: HOSTILE, type: 'secret', scopes: ['coupons:read'] }),
    await admin.createApiKey({ mid: 'mid_654321', name: 'other-merchant', type: 'secret', scopes: ['products:read'] }),
  ];
  const revoked = await admin.createApiKey({ mid, name: 'revoked-one', type: 'secret', scopes: ['products:read'] });
  await admin.revokeApiKey(revoked.id);
  for (const k of [...made, revoked]) {
    secrets.push(k.value);
    ids[k.name] = k.id;
  }
  const claude = await admin.createAuthorization({
    name: 'claude-code',
    kind: 'oauth2',
    owner_id: 'usr_alice',
    capabilities: ['mcp', 'api'],
    project_access: [
      { project_id: 'proj_payments', role: 'viewer' },
      { project_id: 'proj_support', role: 'editor' },
    ],
    mcp_servers: ['billing-flow', 'support-kb'],
  });
  const claude2 = await admin.createAuthorization({ name: 'claude-code', kind: 'api_key', owner_id: 'usr_bob', capabilities: ['api'] });
  secrets.push(claude.secret, claude2.secret);
  ids.claude = claude.id;
  ids.claude2 = claude2.id;
});

afterAll(async () => {
  await admin?.close();
  await server?.stop();
  await provider?.remove();
});

/** 8 keys of mid_123456 + 2 authorizations + 2 project accesses + 2 MCP grants. */
const IMPORTS = 14;

function expectNoSecret(text: string): void {
  for (const s of secrets) expect(text).not.toContain(s);
}

describe('keyform adopt --format hcl', () => {
  let tf: TerraformWorkdir;
  beforeAll(async () => {
    tf = await TerraformWorkdir.create(provider, credentials());
  });
  afterAll(() => tf?.remove());

  it('GIVEN an account made through the API WHEN adopted THEN the files hold one resource and one import per object, with readable deduplicated addresses', async () => {
    const r = await run([BIN, 'adopt', '--out', tf.dir], credentials());
    expect(r.stderr).toContain(`${IMPORTS} import(s)`);
    expect(r.code).toBe(0);
    const keys = tf.read('api_keys.tf');
    const main = tf.read('main.tf');
    const imports = tf.read('imports.tf');
    for (const address of ['support_assistant', 'payment_service', 'checkout_web', 'vault', 'ops_full_access', 'ci', 'ci_2']) {
      expect(keys).toContain(`resource "keyform_api_key" "${address}" {`);
    }
    // The hostile name becomes a plain identifier (truncated), and stays one string literal.
    expect(keys).toMatch(/^resource "keyform_api_key" "evil_resource_keyform_api_key_pwn_name_file_etc_passwd_[a-z_]*" \{$/m);
    expect(keys.match(/^resource /gm)).toHaveLength(8);
    expect(keys).not.toContain('other-merchant');
    expect(keys).not.toContain('revoked-one');
    expect(imports.match(/^import \{/gm)).toHaveLength(IMPORTS);
    expect(imports).toContain(`to = keyform_project_access.claude_code_proj_support\n  id = "${ids.claude}/proj_support"`);
    expect(imports).toContain(`to = keyform_mcp_server_grant.claude_code_billing_flow\n  id = "${ids.claude}/billing-flow"`);
    const auths = tf.read('authorizations.tf');
    expect(auths).toContain('resource "keyform_oauth_authorization" "claude_code_2" {');
    // Grants made by hand would be removed by an authoritative authorization: adoption keeps them.
    expect(auths.split('resource "keyform_oauth_authorization" "claude_code_2"')[0]).toContain('  grants       = "additive"');
    expect(auths.split('resource "keyform_oauth_authorization" "claude_code_2"')[1]).not.toContain('additive');
    expect(main).toMatch(/# This account holds 2 live key\(s\)[^\n]*\n[^\n]*\n  allow_live = true/);
    expect(main).toContain('mid = "mid_123456"');
    // Every key says its secret cannot be recovered and offers a commented-out rotation with delivery.
    expect(keys.match(/cannot be recovered/g)).toHaveLength(8);
    expect(keys.match(/^ {2}# secret_delivery \{/gm)).toHaveLength(8);
    expectNoSecret(keys + main + imports + tf.read('authorizations.tf') + r.stdout + r.stderr);
  });

  it('WHEN planned THEN Terraform shows only imports; WHEN applied THEN the next plan is empty and the hostile name is data, not code', async () => {
    expect((await tf.init()).code).toBe(0);
    const plan = await tf.plan();
    expect(plan.stdout).toContain(`Plan: ${IMPORTS} to import, 0 to add, 0 to change, 0 to destroy.`);
    expect(plan.code).toBe(2);
    expect(plan.stdout).not.toContain('keyform_api_key.pwn');
    const apply = await tf.apply();
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain(`Apply complete! Resources: ${IMPORTS} imported, 0 added, 0 changed, 0 destroyed.`);
    const again = await tf.plan();
    expect(again.stdout).toContain('No changes.');
    expect(again.code).toBe(0);
    const state = JSON.parse(tf.read('terraform.tfstate'));
    const hostile = state.resources.find((x: any) => x.type === 'keyform_api_key' && x.name.startsWith('evil'));
    expect(hostile.instances[0].attributes.name).toBe(HOSTILE);
    expect(hostile.instances[0].attributes.value).toBeNull();
    expect(state.resources.map((x: any) => x.name)).not.toContain('pwn');
    // Adoption took no access away.
    const claude = await admin.getAuthorization(ids.claude);
    expect(claude.project_access).toHaveLength(2);
    expect(claude.mcp_servers).toHaveLength(2);
    expectNoSecret(plan.stdout + apply.stdout + again.stdout + tf.read('terraform.tfstate'));
  });

  it('GIVEN files in the output directory WHEN adopted again without --force THEN it refuses and writes nothing', async () => {
    const before = tf.read('api_keys.tf');
    const r = await run([BIN, 'adopt', '--out', tf.dir], credentials());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('KF-ADOPT-006');
    expect(tf.read('api_keys.tf')).toBe(before);
  });
});

describe('keyform adopt --format ts', () => {
  let dir: string;
  let tf: TerraformWorkdir;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keyform-adopt-ts-'));
    // The generated app imports 'keyform', 'cdktf' and 'constructs' as a user's project would.
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(ROOT, join(dir, 'node_modules', 'keyform'), 'dir');
    for (const m of ['cdktf', 'constructs']) symlinkSync(join(ROOT, 'node_modules', m), join(dir, 'node_modules', m), 'dir');
    tf = await TerraformWorkdir.create(provider, credentials());
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await tf?.remove();
  });

  it('GIVEN the same account WHEN adopted as a CDKTF app THEN it uses the intent-level API and importFrom', async () => {
    const r = await run([BIN, 'adopt', '--out', dir, '--format', 'ts'], credentials());
    expect(r.code).toBe(0);
    const main = readFileSync(join(dir, 'main.ts'), 'utf8');
    expect(main).toContain(`claudeCodeAuthorization.grantProject("proj_support", ProjectRole.EDITOR).importFrom("${ids.claude}/proj_support");`);
    expect(main).toContain(`claudeCodeAuthorization.grantMcpServer("billing-flow", { project: "proj_payments" }).importFrom("${ids.claude}/billing-flow");`);
    expect(main).toContain('scopes: [Scope.read("charges"), Scope.read("customers")]');
    expect(main).toContain('allowLive: true');
    expect(main).toContain("claudeCodeAuthorization.addOverride('grants', 'additive');");
    expect(main.match(/\.importFrom\(/g)).toHaveLength(IMPORTS);
    expectNoSecret(main);
  });

  it('WHEN synthesized and planned THEN Terraform shows only imports; after apply the plan is empty', async () => {
    const synth = await run([join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'main.ts'], { CDKTF_OUTDIR: join(dir, 'cdktf.out') }, dir);
    expect(synth.stderr).toBe('');
    expect(synth.code).toBe(0);
    const stackDir = join(dir, 'cdktf.out', 'stacks', 'adopted');
    const synthesized = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'));
    // The local backend cdktf writes points into the synth directory: keep the state with the workdir.
    delete synthesized.terraform.backend;
    writeFileSync(join(tf.dir, 'main.tf.json'), JSON.stringify(synthesized, null, 2));
    // Terraform reads every JSON string as a template: the name arrives with its `${` and `%{` escaped.
    expect(Object.values<any>(synthesized.resource.keyform_api_key).map((k) => k.name)).toContain(HOSTILE.replace(/([$%])\{/g, '$1$1{'));
    expect((await tf.init()).code).toBe(0);
    const plan = await tf.plan();
    expect(plan.stderr).toBe('');
    expect(plan.stdout).toContain(`Plan: ${IMPORTS} to import, 0 to add, 0 to change, 0 to destroy.`);
    expect(plan.code).toBe(2);
    expect((await tf.apply()).code).toBe(0);
    const again = await tf.plan();
    expect(again.stdout).toContain('No changes.');
    expect(again.code).toBe(0);
    const state = JSON.parse(tf.read('terraform.tfstate'));
    const names = state.resources.filter((x: any) => x.type === 'keyform_api_key').map((x: any) => x.instances[0].attributes.name);
    expect(names).toContain(HOSTILE);
    expect(names).toHaveLength(8);
    const claude = await admin.getAuthorization(ids.claude);
    expect(claude.project_access).toHaveLength(2);
    expect(claude.mcp_servers).toHaveLength(2);
  });
});

describe('keyform adopt input errors', () => {
  it.each<{ reason: string; args: string[]; env: Record<string, string>; code: string }>([
    { reason: 'unknown format', args: ['--format', 'yaml'], env: {}, code: 'KF-ADOPT-005' },
    { reason: 'no endpoint', args: [], env: { KEYFORM_ENDPOINT: '' }, code: 'KF-ADOPT-001' },
    { reason: 'no credentials', args: [], env: { KEYFORM_CLIENT_ID: '', KEYFORM_CLIENT_SECRET: '' }, code: 'KF-ADOPT-002' },
    { reason: 'malformed merchant id', args: ['--mid', 'mid 1"'], env: {}, code: 'KF-ADOPT-007' },
  ])('$reason: exit 1 with $code and nothing written', async ({ args, env, code }) => {
    const out = mkdtempSync(join(tmpdir(), 'keyform-adopt-bad-'));
    try {
      const r = await run([BIN, 'adopt', '--out', out, ...args], { ...credentials(), ...env });
      expect(r.stderr).toContain(code);
      expect(r.code).toBe(1);
      expect(readdirSync(out)).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
