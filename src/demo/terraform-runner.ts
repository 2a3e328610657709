/** Runs the Terraform CLI for the demo in one working directory and keeps every line it printed for the demo's secret scan. */
import { spawn } from 'node:child_process';

/** The outcome of one Terraform command. */
export interface TerraformResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The signal that ended Terraform, when one did (then `code` is 1). */
  readonly signal?: NodeJS.Signals;
}

/** Runs Terraform commands in one working directory with one environment. */
export class TerraformRunner {
  /** Every line Terraform printed, for the demo's own secret scan. */
  public readonly transcript: string[] = [];

  constructor(
    private readonly cwd: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly binary = process.env.KEYFORM_TERRAFORM ?? 'terraform',
  ) {}

  /**
   * Runs `terraform <args>`; never throws on a non-zero exit (callers decide what a code means).
   * Output that holds secrets by design (`show -json`) stays out of the transcript.
   */
  run(args: readonly string[], opts: { holdsSecrets?: boolean } = {}): Promise<TerraformResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.binary, ['-chdir=' + this.cwd, ...args], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      child.on('error', (err: NodeJS.ErrnoException) =>
        reject(err.code === 'ENOENT' ? new Error(`terraform not found on PATH: install Terraform 1.11+ or set KEYFORM_TERRAFORM`) : err),
      );
      child.on('close', (code, signal) => {
        if (!opts.holdsSecrets) this.transcript.push(stdout, stderr);
        resolve({ code: code ?? 1, stdout, stderr, ...(signal ? { signal } : {}) });
      });
    });
  }

  /** Runs a command that must succeed (or end with one of `okCodes`). */
  async must(args: readonly string[], okCodes: readonly number[] = [0], opts: { holdsSecrets?: boolean } = {}): Promise<TerraformResult> {
    const r = await this.run(args, opts);
    if (!okCodes.includes(r.code)) {
      const how = r.signal ? `killed by ${r.signal}` : `exit ${r.code}`;
      // The end of stdout says how far Terraform got; stderr holds its diagnostics.
      const tail = opts.holdsSecrets ? '' : r.stdout.trimEnd().split('\n').slice(-15).join('\n');
      throw new Error(`terraform ${args[0]} failed (${how}):\n${[r.stderr.trim(), tail].filter(Boolean).join('\n--- end of stdout ---\n')}`);
    }
    return r;
  }
}

/** The lines of Terraform's human output worth showing in a narrated demo. */
export function summarizeTerraform(output: string): string[] {
  const keep = [
    /^\s*# .* (will be|must be|has been|has changed|is tainted)/,
    /^\s*[~+-]\s+(name|scopes|capabilities|role|version|fingerprint|rotated_at|value)\b/,
    /^\s*[~+-] +"[a-z_]+:(read|write)"/,
    /^Plan: /,
    /^(Apply|Destroy) complete!/,
    /^No changes\./,
    /^Warning: /,
    /rotation due/i,
  ];
  return output
    .split('\n')
    .map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').replace(/\s+$/, ''))
    .filter((l) => keep.some((re) => re.test(l)));
}
