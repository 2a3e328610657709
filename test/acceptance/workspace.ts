/**
 * A Terraform working directory for keyform's acceptance tests: the shared harness
 * (test/support/terraform.ts) with the bundled provider installed once per test file into a
 * filesystem mirror, wired to a test server, with a transcript of every output for leak checks.
 * {@link acceptanceSuite} gives a test file its server, admin client and workspaces, and tears them
 * down. Requires `npm run build` first.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { KeyformClient } from '../../src/client';
import { startTestServer, type TestServer, type TestServerOptions } from '../support/server';
import { TerraformResult, TerraformWorkdir, TestProvider, installTestProvider, serverEnv } from '../support/terraform';

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
    const tf = await TerraformWorkdir.create(await installOnce(), { ...serverEnv(server, 'mid_123456'), ...env });
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

/**
 * A value made in a `beforeAll` and used in tests: a stand-in that forwards every property to it,
 * so test bodies read `server.url` or `ws.plan()` while the value itself exists only once the hook ran.
 */
function madeInBeforeAll<T extends object>(what: string, current: () => T | undefined): T {
  const now = (): T => {
    const value = current();
    if (value === undefined) throw new Error(`${what} is made in beforeAll: use it inside a test or a hook`);
    return value;
  };
  return new Proxy({} as T, {
    get(_target, prop) {
      const value = now();
      const member = Reflect.get(value, prop, value) as unknown;
      return typeof member === 'function' ? (member as (...a: unknown[]) => unknown).bind(value) : member;
    },
    has: (_target, prop) => prop in now(),
  });
}

/** What {@link acceptanceSuite} gives a test file. */
export interface AcceptanceSuite {
  /** The reference server of this file (its own data directory). */
  readonly server: TestServer;
  /** A client of the server with the platform admin client's credentials. */
  readonly client: KeyformClient;
  /**
   * A workspace wired to the server, created in a `beforeAll` of the `describe` block (or file) this
   * is called in and removed in its `afterAll` (after a best-effort `terraform destroy` with
   * `destroy`); `env` is added to every command.
   */
  workspace(env?: Record<string, string>, opts?: { readonly destroy?: boolean }): Workspace;
}

/**
 * The set-up and tear-down every acceptance file shares: in a `beforeAll`, a reference server and an
 * admin client of it; in the `afterAll`, every workspace still there removed, then the client closed,
 * the server stopped and the provider installed for this file removed. Call at the top of the file.
 */
export function acceptanceSuite(opts: { readonly server?: TestServerOptions } = {}): AcceptanceSuite {
  let server: TestServer | undefined;
  let client: KeyformClient | undefined;
  /** Workspaces not removed yet: a file-level one's own afterAll would run after the server stopped. */
  const open = new Set<() => Promise<void>>();
  beforeAll(async () => {
    server = await startTestServer(opts.server);
    client = new KeyformClient({ endpoint: server.url, clientId: server.adminClientId, clientSecret: server.adminClientSecret });
  });
  afterAll(async () => {
    for (const close of [...open]) await close();
    await client?.close();
    await server?.stop();
    await removeProvider();
  });
  const suite: AcceptanceSuite = {
    server: madeInBeforeAll('the server', () => server),
    client: madeInBeforeAll('the admin client', () => client),
    workspace(env = {}, { destroy = false } = {}) {
      let ws: Workspace | undefined;
      const close = async () => {
        if (!open.delete(close)) return;
        if (destroy) await ws?.destroy().catch(() => undefined);
        await ws?.remove();
      };
      beforeAll(async () => {
        ws = await Workspace.create(suite.server, env);
        open.add(close);
      });
      afterAll(close);
      return madeInBeforeAll('the workspace', () => ws);
    },
  };
  return suite;
}
