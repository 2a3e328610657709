/**
 * `keyform demo` is the README's main job: it must run to completion from a built checkout and leave
 * nothing running. It checks its own outcomes (empty plan, drift reverted, rotation under a consumer,
 * everything revoked, no secret in any output) and exits non-zero when one is wrong.
 */
import { spawnSync, execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function demoProcesses(): string[] {
  const ps = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps.split('\n').filter((l) => l.includes('keyform-demo-') && !l.includes('ps -eo'));
}

describe('keyform demo', () => {
  it('GIVEN a built checkout WHEN the demo runs THEN every step passes, no secret is printed and nothing is left running', () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'keyform'), 'demo'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
      timeout: 150_000,
    });
    const output = result.stdout + result.stderr;
    // The demo says what went wrong on stderr and narrates every step on stdout: show both, cause first.
    if (result.status !== 0) {
      throw new Error(`keyform demo exited ${result.status} (signal ${result.signal}):\n${result.stderr}\n--- narration ---\n${result.stdout}`);
    }
    expect(result.status).toBe(0);
    for (const step of ['[1/8]', '[3/8]', '[4/8]', '[5/8]', '[6/8]', '[7/8]', '[8/8]']) expect(output).toContain(step);
    expect(output).toMatch(/gains refunds:write/);
    expect(output).toMatch(/gains secrets:edit/);
    expect(output).toMatch(/apply reverted it: name "payment-service"/);
    expect(output).toMatch(/, 0 failures/);
    expect(output).toMatch(/old secret is rejected \(401\)/);
    expect(output).toMatch(/0 active keys and 0 authorizations left/);
    expect(output).toMatch(/: 0 hits/);
    // No value of any keyform secret shape appears anywhere in what the demo printed.
    expect(output).not.toMatch(/\b(fsk|fpk|ftk|fat)_(test_)?[A-Za-z0-9]{20,}/);
    expect(demoProcesses()).toEqual([]);
  }, 180_000);
});
