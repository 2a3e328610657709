import { Command } from 'commander';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { register } from '../../src/cli/review';
import { change, key, plan } from './plan-builder';

/** Runs `keyform review ...args` in process and captures what it prints. */
async function review(args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const program = new Command().exitOverride();
  register(program);
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((stdout += String(c)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((stderr += String(c)), true));
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'keyform', 'review', ...args]);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { stdout, stderr, exitCode };
}

describe('keyform review (command)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyform-review-cli-'));
  const planPath = join(dir, 'plan.json');
  writeFileSync(planPath, JSON.stringify(plan([change('keyform_api_key.pay', ['update'], key(), key({ scopes: ['refunds:write'] }))])));

  it('prints Markdown by default and writes --output', async () => {
    const outFile = join(dir, 'review.md');
    const r = await review([planPath, '--output', outFile]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('| **LIVE** | `payments-svc` (LIVE) gains `refunds:write`');
    expect(readFileSync(outFile, 'utf8')).toBe(r.stdout);
  });

  it('exits 3 with a notice on stderr when a --fail-on class is present', async () => {
    const r = await review([planPath, '--format', 'text', '--fail-on', 'escalation']);
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toContain('ESCALATION (1)');
    expect(r.stderr).toContain('the plan has escalation changes, which --fail-on refuses (exit 3)');
  });

  it('reviews several plans (files and stack directories) as one report, --fail-on over all of them', async () => {
    const stacks = mkdtempSync(join(tmpdir(), 'keyform-review-stacks-'));
    for (const [name, p] of [
      ['team-a', plan([change('keyform_api_key.sup', ['create'], null, key({ name: 'support-bot', mode: 'test' }))])],
      ['team-b', plan([change('keyform_api_key.pay', ['update'], key(), key({ scopes: ['refunds:write'] }))])],
    ] as const) {
      mkdirSync(join(stacks, name));
      writeFileSync(join(stacks, name, 'plan.json'), JSON.stringify(p));
    }
    // A directory of stack directories (e.g. downloaded CI matrix artifacts) stands for all of them.
    const all = await review([stacks, '--format', 'text', '--fail-on', 'escalation']);
    expect(all.exitCode).toBe(3);
    expect(all.stdout.split('\n').filter((l) => l.startsWith('STACK '))).toEqual([
      'STACK team-b: 1 credential resource change: 1 escalation, 1 de-escalation (2 LIVE); highest risk: escalation',
      'STACK team-a: 1 credential resource change: 1 new test credential; highest risk: new test credential',
    ]);
    const files = await review([join(stacks, 'team-a', 'plan.json'), join(stacks, 'team-b'), '--format', 'sarif', '--source-root', stacks]);
    expect(files.exitCode).toBe(0);
    const sarif = JSON.parse(files.stdout);
    expect(sarif.runs[0].results.map((r: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => r.locations[0].physicalLocation.artifactLocation.uri)).toEqual([
      'team-b/plan.json',
      'team-b/plan.json',
      'team-a/plan.json',
    ]);
  });

  it.each([
    { reason: 'a directory without a plan says where it looked', args: () => [mkdtempSync(join(tmpdir(), 'keyform-empty-'))], code: 'KF-REVIEW-008' },
    { reason: 'stdin given twice', args: () => ['-', '-'], code: 'KF-REVIEW-010' },
    { reason: 'an unknown format names sarif among the choices', args: () => [planPath, '--format', 'xml'], code: 'KF-REVIEW-007' },
  ])('exits 1 on bad input: $reason', async ({ args, code }) => {
    const r = await review(args());
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`[${code}]`);
  });

  it('exits 1 with the message code on bad input', async () => {
    const r = await review([join(dir, 'missing.json')]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^keyform review: Plan file ".*missing\.json" was not found\..*\[KF-REVIEW-001\]\n$/);
  });
});

describe('keyform review of a binary plan (real Terraform)', () => {
  it('runs `terraform show -json` in the plan directory and hides its sensitive values', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyform-review-tf-'));
    const cfg = join(dir, 'cli.tfrc');
    writeFileSync(cfg, '');
    writeFileSync(
      join(dir, 'main.tf'),
      'resource "terraform_data" "x" {\n  input = sensitive("fsk_live_PLANTEDinbinaryplan01")\n}\n',
    );
    const env = { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: cfg, TF_IN_AUTOMATION: '1' };
    execFileSync('terraform', ['init', '-input=false', '-no-color'], { cwd: dir, env, stdio: 'pipe' });
    execFileSync('terraform', ['plan', '-input=false', '-no-color', '-out=tfplan'], { cwd: dir, env, stdio: 'pipe' });
    const saved = process.env.TF_CLI_CONFIG_FILE;
    process.env.TF_CLI_CONFIG_FILE = cfg;
    try {
      const r = await review([join(dir, 'tfplan'), '--format', 'json']);
      expect(r.exitCode).toBe(0);
      expect(JSON.parse(r.stdout).summary.rows).toBe(0);
      expect(r.stdout).not.toContain('PLANTED');
    } finally {
      // Assigning undefined would leave the string "undefined" for later tests in this worker.
      if (saved === undefined) delete process.env.TF_CLI_CONFIG_FILE;
      else process.env.TF_CLI_CONFIG_FILE = saved;
    }
  });
});
