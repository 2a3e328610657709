/**
 * Acceptance-test harness around the real Terraform CLI.
 *
 * ```ts
 * const provider = await installTestProvider({ bundle: 'dist/provider/keyform-plugin.js' }); // once per test file
 * const tf = await TerraformWorkdir.create(provider);      // a fresh temp directory per scenario
 * tf.writeConfig({ terraform: { required_providers: { keyform: { source: 'keyform/keyform' } } }, ... });
 * expect((await tf.init()).code).toBe(0);
 * const r = await tf.run(['apply', '-auto-approve']);       // { code, stdout, stderr }
 * await tf.remove(); await provider.remove();
 * ```
 * Every command runs with CHECKPOINT_DISABLE=1, TF_IN_AUTOMATION=1, -no-color and the harness's own
 * TF_CLI_CONFIG_FILE (a filesystem mirror, or dev_overrides with `dev: true`, which needs no init).
 * `bundleProvider(entry)` bundles a TypeScript plugin entry (e.g. a test fixture) with esbuild.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { installProvider } from '../../src/provider/install';
import { VERSION } from '../../src/version';

/** What a Terraform command returned. */
export interface TerraformResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment of a working directory bound to a test server: its endpoint and the admin client's
 * credentials, a default merchant, and none of the caller's own keyform or logging settings.
 */
export function serverEnv(server: { readonly url: string; readonly adminClientId: string; readonly adminClientSecret: string }, mid: string): Record<string, string> {
  return {
    TF_LOG: '',
    KEYFORM_TOKEN: '',
    KEYFORM_ALLOW_LIVE: '',
    KEYFORM_ENDPOINT: server.url,
    KEYFORM_CLIENT_ID: server.adminClientId,
    KEYFORM_CLIENT_SECRET: server.adminClientSecret,
    KEYFORM_MID: mid,
  };
}

/** A provider installed into a temporary mirror. */
export interface TestProvider {
  /** The CLI config to use as TF_CLI_CONFIG_FILE. */
  readonly configPath: string;
  /** True when installed as dev_overrides (skip `terraform init`). */
  readonly dev: boolean;
  /** Deletes the temporary install. */
  remove(): Promise<void>;
}

/** Bundles a plugin entry file with esbuild into a temporary single-file plugin; returns its path. */
export async function bundleProvider(entry: string): Promise<string> {
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'keyform-bundle-'));
  const outfile = join(dir, 'terraform-provider-keyform.js');
  await build({ entryPoints: [resolve(entry)], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'error' });
  return outfile;
}

/** Installs a bundled plugin into a temporary mirror (or dev_overrides) once per test file. */
export async function installTestProvider(opts: { bundle: string; dev?: boolean; version?: string }): Promise<TestProvider> {
  const dir = mkdtempSync(join(tmpdir(), 'keyform-tf-install-'));
  const result = installProvider({ dir, bundle: opts.bundle, version: opts.version ?? VERSION, dev: opts.dev });
  return {
    configPath: result.configPath,
    dev: opts.dev ?? false,
    remove: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A temporary Terraform working directory bound to an installed provider. */
export class TerraformWorkdir {
  private constructor(
    /** The working directory. */
    readonly dir: string,
    private readonly provider: TestProvider,
    private readonly extraEnv: Record<string, string>,
  ) {}

  /** Creates an empty working directory; `env` is added to every command's environment. */
  static async create(provider: TestProvider, env: Record<string, string> = {}): Promise<TerraformWorkdir> {
    return new TerraformWorkdir(mkdtempSync(join(tmpdir(), 'keyform-tf-')), provider, env);
  }

  /** Writes `main.tf.json` (objects) or `main.tf` (strings), replacing the previous config. */
  writeConfig(config: object | string): void {
    const json = join(this.dir, 'main.tf.json');
    const hcl = join(this.dir, 'main.tf');
    rmSync(json, { force: true });
    rmSync(hcl, { force: true });
    if (typeof config === 'string') writeFileSync(hcl, config);
    else writeFileSync(json, JSON.stringify(config, null, 2));
  }

  /** Reads a file of the working directory. */
  read(name: string): string {
    return readFileSync(join(this.dir, name), 'utf8');
  }

  /** True when a file exists in the working directory. */
  exists(name: string): boolean {
    return existsSync(join(this.dir, name));
  }

  /** Runs `terraform <args>` (with -no-color added after the subcommand) in the working directory. */
  run(args: string[], opts: { env?: Record<string, string> } = {}): Promise<TerraformResult> {
    // -no-color goes right after the (sub)command words: `providers schema -no-color -json`.
    const words = args.length > 1 && ['providers', 'state', 'workspace'].includes(args[0]) ? 2 : Math.min(1, args.length);
    const argv = args.length === 0 ? [] : [...args.slice(0, words), '-no-color', ...args.slice(words)];
    return new Promise((done, fail) => {
      const child = spawn('terraform', argv, {
        cwd: this.dir,
        env: {
          ...process.env,
          CHECKPOINT_DISABLE: '1',
          TF_IN_AUTOMATION: '1',
          TF_INPUT: '0',
          TF_CLI_CONFIG_FILE: this.provider.configPath,
          ...this.extraEnv,
          ...opts.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', fail);
      child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
    });
  }

  /** `terraform init` (a no-op success with dev_overrides, which need none). */
  init(): Promise<TerraformResult> {
    if (this.provider.dev) return Promise.resolve({ code: 0, stdout: '', stderr: '' });
    return this.run(['init', '-input=false']);
  }

  /** `terraform plan -detailed-exitcode` (0 = no changes, 2 = changes, 1 = error). */
  plan(extra: string[] = [], opts: { env?: Record<string, string> } = {}): Promise<TerraformResult> {
    return this.run(['plan', '-input=false', '-detailed-exitcode', ...extra], opts);
  }

  /** `terraform apply -auto-approve`. */
  apply(extra: string[] = [], opts: { env?: Record<string, string> } = {}): Promise<TerraformResult> {
    return this.run(['apply', '-input=false', '-auto-approve', ...extra], opts);
  }

  /** `terraform destroy -auto-approve`. */
  destroy(extra: string[] = [], opts: { env?: Record<string, string> } = {}): Promise<TerraformResult> {
    return this.run(['destroy', '-input=false', '-auto-approve', ...extra], opts);
  }

  /** `terraform import <address> <id>`. */
  import(address: string, id: string): Promise<TerraformResult> {
    return this.run(['import', '-input=false', address, id]);
  }

  /** `terraform show -json`, parsed. */
  async show(): Promise<ShowJson> {
    const r = await this.run(['show', '-json']);
    if (r.code !== 0) throw new Error(`terraform show failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as ShowJson;
  }

  /** Deletes the working directory. */
  async remove(): Promise<void> {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The parts of `terraform show -json` tests read. */
export interface ShowJson {
  values?: {
    root_module?: {
      resources?: { address: string; type: string; values: Record<string, unknown>; sensitive_values?: Record<string, unknown> }[];
    };
  };
}

/** The resources of a `show -json` result keyed by address. */
export function resourcesByAddress(show: ShowJson): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const r of show.values?.root_module?.resources ?? []) out[r.address] = r.values;
  return out;
}
