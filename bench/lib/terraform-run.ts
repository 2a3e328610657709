/**
 * Runs the real Terraform CLI for the benchmarks: under GNU time (wall time, peak RSS of the largest
 * process, CPU of Terraform and its plugins) while a /proc sampler records each process of the tree.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { BUNDLE_NAME, EXECUTABLE_PREFIX, installProvider } from '../../src/provider/install';
import { VERSION } from '../../src/version';
import { pluginBundle } from './paths';
import { sampleTree, type SamplerReport } from './proc-sampler';
import { BENCH_ADMIN } from './server-process';

/** One timed Terraform command. */
export interface TerraformRun {
  readonly code: number;
  /** Wall time, seconds. */
  readonly seconds: number;
  /** GNU time's %M: peak RSS of the largest process of the tree, KiB. */
  readonly maxRssKb: number;
  /**
   * Peak RSS of Terraform, KiB: the sampler's figure, or GNU time's when a very short run ended
   * before the sampler saw the Terraform process (then it is the largest process of the tree).
   */
  readonly terraformPeakKb: number;
  /** User + system CPU of Terraform and every plugin it waited for, seconds. */
  readonly cpuSeconds: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly sample: SamplerReport;
}

/** The provider installed for one benchmark run, and the environment Terraform needs to use it. */
export interface TerraformSetup {
  /** Environment for every Terraform command (CLI config, no checkpoint, provider credentials). */
  readonly env: NodeJS.ProcessEnv;
  /**
   * Marker found in every plugin process's command line: the installed entry file's name. Terraform
   * runs the launcher from its own provider cache by a relative path, so the install directory itself
   * does not appear there; the sampler only looks below the Terraform process, so the name suffices.
   */
  readonly pluginMarker: string;
  readonly bundle: string;
}

/**
 * Installs the built plugin (or `bundle`, another plugin on keyform's runtime) under `dir` (filesystem
 * mirror) and returns the environment pointing at `serverUrl`.
 */
export function setupTerraform(dir: string, serverUrl: string, extraEnv: NodeJS.ProcessEnv = {}, bundle: string = pluginBundle()): TerraformSetup {
  if (!existsSync('/usr/bin/time')) throw new Error('GNU time (/usr/bin/time) is required: install the `time` package.');
  const install = installProvider({ dir, bundle, version: VERSION });
  return {
    bundle,
    pluginMarker: `/${basename(bundle).startsWith(EXECUTABLE_PREFIX) ? BUNDLE_NAME : basename(bundle)}`,
    env: {
      ...process.env,
      TF_CLI_CONFIG_FILE: install.configPath,
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      TF_LOG: '',
      KEYFORM_ENDPOINT: serverUrl,
      KEYFORM_CLIENT_ID: BENCH_ADMIN.clientId,
      KEYFORM_CLIENT_SECRET: BENCH_ADMIN.clientSecret,
      KEYFORM_MID: 'mid_123456',
      ...extraEnv,
    },
  };
}

/** Runs `terraform <args>` in `cwd`, timed and sampled; `watch` pids (the server) are sampled too. */
export function terraform(setup: TerraformSetup, cwd: string, args: string[], watch: number[] = []): Promise<TerraformRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'KEYFORM_TIME %e %M %U %S', 'terraform', ...args], { cwd, env: setup.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const sampler = sampleTree(child.pid!, setup.pluginMarker, { watch });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (b: Buffer) => (stdout += b));
    child.stderr!.on('data', (b: Buffer) => (stderr += b));
    child.on('error', (e) => {
      sampler.stop();
      reject(e);
    });
    child.on('close', (code) => {
      const sample = sampler.stop();
      const m = /KEYFORM_TIME ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(stderr);
      resolve({
        code: code ?? 1,
        seconds: m ? Number(m[1]) : NaN,
        maxRssKb: m ? Number(m[2]) : NaN,
        terraformPeakKb: sample.terraformPeakKb || (m ? Number(m[2]) : 0),
        cpuSeconds: m ? Number(m[3]) + Number(m[4]) : NaN,
        stdout,
        stderr: stderr.replace(/^KEYFORM_TIME .*$/m, '').trim(),
        sample,
      });
    });
  });
}

/** Like {@link terraform} but throws (with the tail of stderr) unless the exit code is in `ok`. */
export async function terraformOk(setup: TerraformSetup, cwd: string, args: string[], ok: number[] = [0], watch: number[] = []): Promise<TerraformRun> {
  const r = await terraform(setup, cwd, args, watch);
  if (!ok.includes(r.code)) throw new Error(`terraform ${args.join(' ')} in ${cwd} exited ${r.code}:\n${r.stderr.slice(-3000)}\n${r.stdout.slice(-2000)}`);
  return r;
}

/** Path of the state file of a working directory using the local backend. */
export function statePath(cwd: string): string {
  return join(cwd, 'terraform.tfstate');
}
