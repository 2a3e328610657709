/**
 * A Terraform working directory for keyform's acceptance tests: the shared harness
 * (test/support/terraform.ts) with the bundled provider installed once per test file into a
 * filesystem mirror, wired to a test server, with a transcript of every output for leak checks.
 * Requires `npm run build` first.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestServer } from '../support/server';
import { TerraformResult, TerraformWorkdir, TestProvider, installTestProvider } from '../support/terraform';

const BUNDLE = resolve(__dirname, '../../dist/provider/keyform-plugin.js');

/** The output of one terraform command. */
export interface TfResult extends TerraformResult {
  /** stdout and stderr together. */
  readonly output: string;
}

let provider: Promise<TestProvider> | undefined;

/** Installs the provider once per test file. */
function installOnce(): Promise<TestProvider> {
  provider ??= installTestProvider({ bundle: BUNDLE });
  return provider;
}

/** Removes the provider installed by this test file (call in a top-level afterAll). */
export async function removeProvider(): Promise<void> {
  if (provider) await (await provider).remove();
  provider = undefined;
}

/** A Terraform working directory wired to a test server. */
export class Workspace {
  /** Every output of every command run so far (for secret leak checks). */
  readonly transcript: string[] = [];

  private constructor(private readonly tf: TerraformWorkdir) {}

  /** The directory holding main.tf and the state. */
  get dir(): string {
    return this.tf.dir;
  }

  /** A fresh, initialised working directory; `env` is added to every command (e.g. TF_LOG). */
  static async create(server: Pick<TestServer, 'url' | 'adminClientId' | 'adminClientSecret'>, env: Record<string, string> = {}): Promise<Workspace> {
    const tf = await TerraformWorkdir.create(await installOnce(), {
      // The caller's own settings must not leak into the test.
      TF_LOG: '',
      KEYFORM_TOKEN: '',
      KEYFORM_ALLOW_LIVE: '',
      KEYFORM_ENDPOINT: server.url,
      KEYFORM_CLIENT_ID: server.adminClientId,
      KEYFORM_CLIENT_SECRET: server.adminClientSecret,
      KEYFORM_MID: 'mid_123456',
      ...env,
    });
    const ws = new Workspace(tf);
    ws.write(header());
    const init = await ws.record(() => tf.init());
    if (init.code !== 0) throw new Error(`terraform init failed:\n${init.output}`);
    return ws;
  }

  private async record(start: () => Promise<TerraformResult>): Promise<TfResult> {
    const r = await start();
    this.transcript.push(r.stdout, r.stderr);
    return { ...r, output: r.stdout + r.stderr };
  }

  /** Writes main.tf. */
  write(hcl: string): void {
    this.tf.writeConfig(hcl);
  }

  /** Runs `terraform <args>`; extra env per call. */
  run(args: string[], env: Record<string, string> = {}): Promise<TfResult> {
    return this.record(() => this.tf.run(args, { env }));
  }

  /** `terraform apply -auto-approve`; throws with the output when it fails. */
  async apply(): Promise<TfResult> {
    const r = await this.record(() => this.tf.apply());
    if (r.code !== 0) throw new Error(`terraform apply failed (${r.code}):\n${r.output}`);
    return r;
  }

  /** `terraform plan -detailed-exitcode`: code 0 = no changes, 2 = changes, 1 = error. */
  plan(env: Record<string, string> = {}): Promise<TfResult> {
    return this.record(() => this.tf.plan([], { env }));
  }

  /** `terraform destroy -auto-approve`; throws when it fails. */
  async destroy(): Promise<TfResult> {
    const r = await this.record(() => this.tf.destroy());
    if (r.code !== 0) throw new Error(`terraform destroy failed (${r.code}):\n${r.output}`);
    return r;
  }

  /** `terraform import <address> <id>`. */
  import(address: string, id: string): Promise<TfResult> {
    return this.record(() => this.tf.import(address, id));
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
  async remove(): Promise<void> {
    await this.tf.remove();
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
