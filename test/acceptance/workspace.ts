/**
 * A Terraform working directory wired to the bundled keyform provider (installed with
 * `keyform provider install --dev`, so no `terraform init` is needed) and to a test server.
 * Requires `npm run build` first.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestServer } from '../support/server';

const ROOT = resolve(__dirname, '../..');

/** The output of one terraform command. */
export interface TfResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr together. */
  readonly output: string;
}

let installed: string | undefined;

/** Installs the provider once per test file (dev_overrides) and returns the CLI config path. */
export function installProvider(): string {
  if (installed) return installed;
  const dir = mkdtempSync(join(tmpdir(), 'keyform-provider-'));
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/keyform'), 'provider', 'install', '--dev', '--dir', dir], { encoding: 'utf8' });
  const m = /TF_CLI_CONFIG_FILE=(\S+)/.exec(r.stdout);
  if (r.status !== 0 || !m) throw new Error(`keyform provider install failed: ${r.stderr}${r.stdout}`);
  installed = m[1];
  return installed;
}

/** A Terraform working directory. */
export class Workspace {
  /** The directory holding main.tf and the state. */
  readonly dir: string;
  /** Every output of every command run so far (for secret leak checks). */
  readonly transcript: string[] = [];
  private readonly env: NodeJS.ProcessEnv;

  constructor(server: Pick<TestServer, 'url' | 'adminClientId' | 'adminClientSecret'> | { url: string; adminClientId: string; adminClientSecret: string }, extraEnv: Record<string, string> = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'keyform-tf-'));
    const inherited = { ...process.env };
    // The caller's own Terraform and keyform settings must not leak into the test.
    delete inherited.TF_LOG;
    delete inherited.KEYFORM_TOKEN;
    delete inherited.KEYFORM_ALLOW_LIVE;
    this.env = {
      ...inherited,
      TF_CLI_CONFIG_FILE: installProvider(),
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      KEYFORM_ENDPOINT: server.url,
      KEYFORM_CLIENT_ID: server.adminClientId,
      KEYFORM_CLIENT_SECRET: server.adminClientSecret,
      KEYFORM_MID: 'mid_123456',
      ...extraEnv,
    };
  }

  /** Writes main.tf. */
  write(hcl: string): void {
    writeFileSync(join(this.dir, 'main.tf'), hcl);
  }

  /** Runs `terraform <args>` (adds -no-color); extra env per call. */
  run(args: string[], env: Record<string, string> = {}): Promise<TfResult> {
    return new Promise((res, rej) => {
      const child = spawn('terraform', [...args, '-no-color'], { cwd: this.dir, env: { ...this.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', rej);
      child.on('close', (code) => {
        this.transcript.push(stdout, stderr);
        res({ code: code ?? -1, stdout, stderr, output: stdout + stderr });
      });
    });
  }

  /** `terraform apply -auto-approve`; throws with the output when it fails. */
  async apply(extra: string[] = []): Promise<TfResult> {
    const r = await this.run(['apply', '-auto-approve', ...extra]);
    if (r.code !== 0) throw new Error(`terraform apply failed (${r.code}):\n${r.output}`);
    return r;
  }

  /** `terraform plan -detailed-exitcode`: code 0 = no changes, 2 = changes, 1 = error. */
  plan(extra: string[] = []): Promise<TfResult> {
    return this.run(['plan', '-detailed-exitcode', ...extra]);
  }

  /** `terraform destroy -auto-approve`; throws when it fails. */
  async destroy(): Promise<TfResult> {
    const r = await this.run(['destroy', '-auto-approve']);
    if (r.code !== 0) throw new Error(`terraform destroy failed (${r.code}):\n${r.output}`);
    return r;
  }

  /** The attribute values of one managed resource in the state file (sensitive values included), or undefined. */
  resource(address: string): Record<string, unknown> | undefined {
    let state: { resources?: Array<{ mode: string; type: string; name: string; instances: Array<{ attributes: Record<string, unknown> }> }> };
    try {
      state = JSON.parse(this.stateFile());
    } catch {
      return undefined;
    }
    const r = state.resources?.find((x) => x.mode === 'managed' && `${x.type}.${x.name}` === address);
    return r?.instances[0]?.attributes;
  }

  /** The raw state file text. */
  stateFile(): string {
    return readFileSync(join(this.dir, 'terraform.tfstate'), 'utf8');
  }

  /** Removes the directory. */
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The provider block and required_providers every test config starts with. */
export function header(provider = ''): string {
  return `terraform {
  required_providers {
    keyform = { source = "keyform/keyform" }
  }
}
provider "keyform" {
${provider}
}
`;
}
