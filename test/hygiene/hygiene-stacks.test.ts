/**
 * `keyform hygiene` over a split estate: two stacks applied by the real Terraform CLI against the
 * reference server, given as one directory of stacks, as separate directories, and mixed with a
 * state file. One report: a summary over all stacks, a section per stack (highest risk first), every
 * finding naming its stack, keys no stack declares in their own section, a key declared by two
 * stacks called out, suggestions per stack, and the exit code over the union. Requires `npm run build`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HygieneReport } from '../../src/hygiene';
import type { TestServer } from '../support/server';
import { startSplitEstate, type SplitEstate, type SplitEstateFixture } from './split-estate';

jest.setTimeout(300_000);

const ROOT = resolve(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'keyform');

let server: TestServer;
let estate: SplitEstate;
let handMade: { id: string; value: string };
const scratch = mkdtempSync(join(tmpdir(), 'keyform-hygiene-stacks-'));

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, 'hygiene', ...args], { cwd: ROOT, env: { ...process.env, ...credentials(), ...env }, maxBuffer: 1 << 26 }, (err, stdout, stderr) =>
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function credentials(): Record<string, string> {
  return { KEYFORM_ENDPOINT: server.url, KEYFORM_CLIENT_ID: server.adminClientId, KEYFORM_CLIENT_SECRET: server.adminClientSecret, KEYFORM_TOKEN: '', KEYFORM_MID: 'mid_123456', CHECKPOINT_DISABLE: '1' };
}

const NO_API = { KEYFORM_ENDPOINT: '', KEYFORM_CLIENT_ID: '', KEYFORM_CLIENT_SECRET: '' };

let fixture: SplitEstateFixture | undefined;

beforeAll(async () => {
  fixture = await startSplitEstate();
  ({ server, estate, handMade } = fixture);
});

afterAll(async () => {
  await fixture?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('keyform hygiene <directory of stacks> (with the API)', () => {
  let result: { code: number; stdout: string; stderr: string };
  let report: HygieneReport;
  beforeAll(async () => {
    result = await run([estate.root, '--format', 'json']);
    report = JSON.parse(result.stdout);
  });

  it('exits 2 over the union and its JSON still follows the report schema', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(2);
    expect(HygieneReport.parse(report)).toEqual(report);
  });

  it('names the stack of every finding; what no stack declares has stack null', () => {
    const byName = (n: string) => report.findings.filter((f) => f.subject.name === n);
    expect(byName('payments-svc').length).toBeGreaterThan(0);
    expect(byName('payments-svc').every((f) => f.subject.stack === 'payments' && f.subject.address === 'keyform_api_key.pay')).toBe(true);
    expect(byName('support-kb').every((f) => f.subject.stack === 'support' && f.subject.address === 'keyform_api_key.pay')).toBe(true);
    expect(byName('made-by-hand')).toEqual([expect.objectContaining({ kind: 'key-never-used', subject: expect.objectContaining({ id: handMade.id, stack: null, address: null }) })]);
    expect(report.findings.every((f) => f.subject.stack !== undefined)).toBe(true);
  });

  it('lists the stacks highest risk first, the API-only objects as their own row', () => {
    expect(report.stacks!.map((s) => [s.name, s.highest_severity, s.keys])).toEqual([
      ['payments', 'medium', 1],
      ['(not in any stack)', 'medium', 1],
      ['support', 'medium', 1],
    ]);
    expect(report.stacks![0].findings).toMatchObject({ 'rotation-due': 1 });
    expect(report.stacks!.find((s) => s.name === 'support')!.findings).toEqual({ 'unused-scopes': 1 });
    expect(report.sources.state).toBeNull();
  });

  it("suggests the narrower scopes as a diff of the stack's own configuration", () => {
    expect(report.suggestions).toHaveLength(1);
    expect(report.suggestions[0]).toMatchObject({ stack: 'support', address: 'keyform_api_key.pay', file: 'main.tf' });
    expect(report.suggestions[0].diff).toContain('+  scopes = ["api_keys:read"]');
  });

  it('renders one text and one Markdown report: the summary over all, then a section per stack in risk order; never a secret', async () => {
    const text = await run([estate.root]);
    const md = await run([join(estate.root, 'support'), join(estate.root, 'payments'), '--format', 'markdown']);
    expect(text.code).toBe(2);
    expect(md.code).toBe(2);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toMatch(/^keyform hygiene: 2 stacks, 3 key\(s\), 0 authorization\(s\); /);
    const sections = lines.filter((l) => l.startsWith('== '));
    expect(sections.map((l) => l.split(':')[0])).toEqual(['== stack payments', '== (not in any stack) (the API has them, no given stack declares them)', '== stack support']);
    expect(text.stdout).toContain('Suggested change for keyform_api_key.pay in stack support:');
    const headings = md.stdout.split('\n').filter((l) => l.startsWith('#### '));
    expect(headings).toEqual(['#### Stack `payments`', '#### Not in any stack', '#### Stack `support`', '#### Suggested change for `keyform_api_key.pay` in stack `support`']);
    expect(md.stdout).toContain('| `payments` | medium | 1 | 0 | 2 |\n| Not in any stack | medium | 1 | 0 | 1 |\n| `support` | medium | 1 | 0 | 1 |');
    for (const s of [...estate.secrets, handMade.value, server.adminClientSecret]) for (const out of [text.stdout, md.stdout, result.stdout, text.stderr]) expect(out).not.toContain(s);
  });
});

describe('keyform hygiene over several stacks from their states alone', () => {
  it('exits 0 for a clean stack and 2 once a stack with a finding joins it (exit code over the union)', async () => {
    const clean = await run([join(estate.root, 'support')], NO_API);
    expect(clean.stdout).toContain('no findings');
    expect(clean.code).toBe(0);
    const both = await run([join(estate.root, 'support'), join(estate.root, 'payments')], NO_API);
    expect(both.stdout).toMatch(/^keyform hygiene: 2 stacks, /);
    expect(both.stdout).toContain('[medium] rotation due: key "payments-svc" (');
    expect(both.code).toBe(2);
  });

  it('calls out a key that two stacks both declare (a state file of one stack given beside the stack itself)', async () => {
    const copy = join(scratch, 'terraform.payments-copy.tfstate');
    writeFileSync(copy, estate.payments.stateFile());
    const r = await run([estate.root, copy, '--format', 'json'], NO_API);
    const report = JSON.parse(r.stdout) as HygieneReport;
    expect(report.stacks!.map((s) => s.name).sort()).toEqual(['payments', 'payments-copy', 'support']);
    expect(report.notices).toContain(
      `key ${estate.ids.payments} is declared in 2 stacks (payments, payments-copy): each apply may undo the other's change; keep it in one stack and read it elsewhere with a data source`,
    );
    for (const s of estate.secrets) expect(r.stdout).not.toContain(s);
  });

  it('reports the same directory named twice once', async () => {
    const r = await run([join(estate.root, 'payments'), join(estate.root, 'payments')], NO_API);
    expect(r.stdout).not.toMatch(/stacks/);
    expect(r.stdout).toMatch(/^keyform hygiene: 1 key\(s\)/);
  });

  it('refuses a directory that is no stack and holds none, naming it (exit 1)', async () => {
    const r = await run([scratch, join(estate.root, 'payments')], NO_API);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`"${scratch}" is not a Terraform working directory and holds none`);
    expect(r.stderr).toContain('[KF-HYGIENE-008]');
  });
});
