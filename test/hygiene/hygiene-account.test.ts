/**
 * `keyform hygiene` end to end: keys made and used through the real server on some routes only, an
 * authorization whose owner then loses a role, the account adopted into Terraform (`keyform adopt`,
 * real Terraform), then hygiene against the directory: unused and never-used keys, unused scopes with
 * the narrower set and the HCL diff (which Terraform then plans as in-place narrowing), live keys
 * without expiry or rotation, expiring keys, the owner's lost access, `--owner`, exit codes and the
 * JSON report's schema. Requires `npm run build`.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { KeyformClient } from '../../src/client';
import { HygieneReport, hygieneReportJsonSchema, type Finding } from '../../src/hygiene';
import { startTestServer, TestServer } from '../support/server';
import { installTestProvider, TerraformWorkdir, TestProvider } from '../support/terraform';

jest.setTimeout(300_000);

const ROOT = resolve(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'keyform');

let server: TestServer;
let admin: KeyformClient;
let provider: TestProvider;
let tf: TerraformWorkdir;
const secrets: string[] = [];
const ids: Record<string, string> = {};

function run(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = execFile(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...credentials(), ...env }, maxBuffer: 1 << 26 }, (err, stdout, stderr) =>
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    if (stdin !== undefined) child.stdin!.end(stdin);
  });
}

function credentials(): Record<string, string> {
  return { KEYFORM_ENDPOINT: server.url, KEYFORM_CLIENT_ID: server.adminClientId, KEYFORM_CLIENT_SECRET: server.adminClientSecret, KEYFORM_TOKEN: '', KEYFORM_MID: 'mid_123456', CHECKPOINT_DISABLE: '1' };
}

async function use(value: string, path: string): Promise<void> {
  const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${value}` } });
  expect(res.status).toBeLessThan(300);
}

beforeAll(async () => {
  server = await startTestServer();
  admin = new KeyformClient({ endpoint: server.url, clientId: server.adminClientId, clientSecret: server.adminClientSecret });
  provider = await installTestProvider({ bundle: join(ROOT, 'dist/provider/keyform-plugin.js') });
  const mid = 'mid_123456';
  const soon = new Date(Date.now() + 3 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const made = {
    reporting: await admin.createApiKey({ mid, name: 'reporting', type: 'secret', scopes: ['api_keys:write', 'audit_log:read', 'customers:read'] }),
    ops: await admin.createApiKey({ mid, name: 'ops', type: 'secret' }),
    idle: await admin.createApiKey({ mid, name: 'idle', type: 'secret', scopes: ['api_keys:read'] }),
    live: await admin.createApiKey({ mid, name: 'payments-live', type: 'secret', mode: 'live', scopes: ['api_keys:read'] }),
    soon: await admin.createApiKey({ mid, name: 'soon', type: 'secret', scopes: ['api_keys:read'], expires_at: soon }),
    other: await admin.createApiKey({ mid: 'mid_654321', name: 'other-clean', type: 'secret', scopes: ['api_keys:read'] }),
  };
  for (const [k, v] of Object.entries(made)) {
    ids[k] = v.id;
    secrets.push(v.value);
  }
  // Requests on some routes only: what each key really exercises.
  await use(made.reporting.value, '/v1/api-keys?limit=1');
  await use(made.reporting.value, `/v1/api-keys/${made.reporting.id}`);
  await use(made.ops.value, '/v1/audit-log?limit=1');
  await use(made.live.value, '/v1/api-keys?limit=1');
  await use(made.soon.value, '/v1/api-keys?limit=1');
  await use(made.other.value, '/v1/api-keys?limit=1');
  await admin.adminCreateUser({ id: 'usr_dave', mid, name: 'Dave', roles: [{ project_id: 'proj_payments', role: 'editor' }], capabilities: ['mcp', 'api'] });
  const claude = await admin.createAuthorization({
    name: 'claude-code',
    kind: 'oauth2',
    owner_id: 'usr_dave',
    capabilities: ['mcp', 'api'],
    project_access: [{ project_id: 'proj_payments', role: 'editor' }],
    mcp_servers: ['billing-flow'],
  });
  ids.claude = claude.id;
  secrets.push(claude.secret);

  tf = await TerraformWorkdir.create(provider, credentials());
  const adopted = await run([BIN, 'adopt', '--out', tf.dir]);
  expect(adopted.code).toBe(0);
  expect((await tf.init()).code).toBe(0);
  expect((await tf.apply()).code).toBe(0);
  // Dave moves team: viewer only, no MCP. The configuration still declares what he no longer holds.
  await admin.adminCreateUser({ id: 'usr_dave', mid, name: 'Dave', roles: [{ project_id: 'proj_payments', role: 'viewer' }], capabilities: ['api'] });
});

afterAll(async () => {
  await admin?.close();
  await tf?.remove();
  await server?.stop();
  await provider?.remove();
});

const find = (r: HygieneReport, kind: Finding['kind'], name: string) => r.findings.find((f) => f.kind === kind && f.subject.name === name);

describe('keyform hygiene --dir (adopted Terraform directory)', () => {
  let report: HygieneReport;
  let result: { code: number; stdout: string; stderr: string };
  beforeAll(async () => {
    result = await run([BIN, 'hygiene', '--dir', tf.dir, '--format', 'json']);
    report = JSON.parse(result.stdout);
  });

  it('exits 2 and its JSON matches the checked-in schema', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(2);
    expect(HygieneReport.parse(report)).toEqual(report);
    const checkedIn = JSON.parse(readFileSync(join(ROOT, 'docs', 'hygiene-report.schema.json'), 'utf8'));
    expect(checkedIn).toEqual(JSON.parse(JSON.stringify(hygieneReportJsonSchema())));
  });

  it('lists scopes held but not exercised, with the narrower set, keeping scopes no route can observe', () => {
    expect(find(report, 'unused-scopes', 'reporting')!.scopes).toEqual({
      held: ['api_keys:write', 'audit_log:read', 'customers:read'],
      full_access: false,
      exercised: ['api_keys:read'],
      narrower: ['customers:read', 'api_keys:read'],
      unused: ['api_keys:write', 'audit_log:read'],
      unobservable: ['customers:read'],
    });
    expect(find(report, 'unused-scopes', 'ops')!.scopes).toMatchObject({ full_access: true, narrower: ['audit_log:read'] });
    expect(find(report, 'unused-scopes', 'idle')).toBeUndefined();
  });

  it('lists the key never used, the live key without expiry or rotation, and the expiring key', () => {
    expect(find(report, 'key-never-used', 'idle')!.subject).toMatchObject({ id: ids.idle, address: 'keyform_api_key.idle' });
    expect(find(report, 'key-never-used', 'reporting')).toBeUndefined();
    expect(find(report, 'live-secret-key-without-expiry-or-rotation', 'payments-live')).toBeDefined();
    expect(find(report, 'key-expiring', 'soon')).toBeDefined();
    expect(report.findings.some((f) => f.subject.name === 'other-clean')).toBe(false);
  });

  it("lists the authorization whose owner lost the role and capability it grants, grouped by owner", () => {
    expect(find(report, 'owner-lacks-access', 'claude-code')!.missing_access).toEqual([
      'capability mcp',
      'project proj_payments: editor -> viewer',
      'MCP server billing-flow: owner lacks capability mcp',
    ]);
    expect(report.owners).toEqual([{ owner_id: 'usr_dave', authorizations: [{ id: ids.claude, name: 'claude-code' }], findings: 1 }]);
  });

  it('suggests the narrowing as a diff of the HCL, which Terraform plans as an in-place change of scopes only', async () => {
    const byAddress = Object.fromEntries(report.suggestions.map((s) => [s.address, s]));
    expect(byAddress['keyform_api_key.reporting'].diff).toContain('+  scopes = ["customers:read", "api_keys:read"]');
    expect(byAddress['keyform_api_key.ops'].diff).toContain('+  scopes = ["audit_log:read"]');
    const patched = await new Promise<number>((done) => {
      const child = execFile('patch', ['-p1', '-d', tf.dir], (err) => done(err ? 1 : 0));
      child.stdin!.end(report.suggestions.map((s) => s.diff).join(''));
    });
    expect(patched).toBe(0);
    const plan = await tf.plan();
    expect(plan.stdout).toContain('keyform_api_key.reporting will be updated in-place');
    expect(plan.stdout).toContain('keyform_api_key.ops will be updated in-place');
    expect(plan.stdout).toMatch(/- "api_keys:write",\n\s+- "audit_log:read",\n\s+\+ "api_keys:read"/);
    expect(plan.stdout).toContain('Plan: 0 to add, 2 to change, 0 to destroy.');
  });

  it('never prints a secret', async () => {
    const text = await run([BIN, 'hygiene', '--dir', tf.dir]);
    const md = await run([BIN, 'hygiene', '--dir', tf.dir, '--format', 'markdown']);
    expect(text.stdout).toContain('[high] owner lacks access: authorization "claude-code"');
    expect(md.stdout).toContain('| **high** | owner lacks access |');
    for (const s of secrets) for (const out of [text.stdout, md.stdout, result.stdout]) expect(out).not.toContain(s);
  });
});

describe('keyform hygiene exit codes', () => {
  it.each([
    { reason: 'a clean merchant (used, narrow, no expiry issue) exits 0', args: ['--mid', 'mid_654321'], code: 0, contains: 'no findings' },
    { reason: '--owner lists what a leaving person owns and exits 2', args: ['--owner', 'usr_dave'], code: 2, contains: 'owned: authorization "claude-code"' },
    { reason: '--owner of someone who owns nothing exits 0', args: ['--owner', 'usr_bob'], code: 0, contains: 'no findings' },
    { reason: 'a bad duration exits 1 with its code', args: ['--unused-after', '30 days'], code: 1, contains: 'KF-HYGIENE-003' },
    { reason: 'an unknown format exits 1 with its code', args: ['--format', 'yaml'], code: 1, contains: 'KF-HYGIENE-002' },
  ])('$reason', async ({ args, code, contains }) => {
    const r = await run([BIN, 'hygiene', ...args]);
    expect(r.stdout + r.stderr).toContain(contains);
    expect(r.code).toBe(code);
  });

  it('with credentials that cannot list users or usage, says which checks it skipped', async () => {
    const narrow = await admin.createApiKey({ mid: 'mid_123456', name: 'auditor', type: 'secret', scopes: ['api_keys:read', 'authorizations:read'] });
    secrets.push(narrow.value);
    const r = await run([BIN, 'hygiene', '--format', 'json'], { KEYFORM_CLIENT_ID: '', KEYFORM_CLIENT_SECRET: '', KEYFORM_TOKEN: narrow.value });
    const report = JSON.parse(r.stdout) as HygieneReport;
    expect(report.notices.join(' ')).toContain('request_logs:read');
    expect(report.notices.join(' ')).toContain('platform admin client');
    expect(report.findings.some((f) => f.kind === 'unused-scopes' || f.kind === 'owner-lacks-access')).toBe(false);
    expect(r.stdout).not.toContain(narrow.value);
  });
});
