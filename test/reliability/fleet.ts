/**
 * A fleet of `keyform_api_key` resources for the reliability tests: one Terraform working directory
 * (real CLI, the bundled provider installed into its own filesystem mirror) declaring N keys whose
 * names share a unique prefix, plus what the tests compare: the keys on the server with that prefix,
 * the ids in Terraform's state, and the pids of the running plugin processes.
 * Requires `npm run build` first.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { KeyformClient } from '../../src/client';
import type { ApiKey } from '../../src/model';
import type { TestServer } from '../support/server';
import { TerraformResult, TerraformWorkdir, TestProvider, installTestProvider, serverEnv } from '../support/terraform';

const BUNDLE = resolve(__dirname, '../../dist/provider/keyform-plugin.js');

/** The merchant every fleet key belongs to (default seed). */
export const FLEET_MID = 'mid_123456';

/** The declared shape of every key of a fleet (the same for all, names differ by index). */
export interface FleetShape {
  readonly description: string;
  readonly scopes: readonly string[];
}

/** A provider installed into a private mirror, with the directory its plugin processes run from. */
export interface InstalledProvider {
  readonly provider: TestProvider;
  /** Every plugin process started from this install has this directory in its command line. */
  readonly installDir: string;
}

/** Installs the bundled provider into a fresh mirror (one per test file, so pids are attributable). */
export async function installFleetProvider(): Promise<InstalledProvider> {
  const provider = await installTestProvider({ bundle: BUNDLE });
  return { provider, installDir: dirname(provider.configPath) };
}

/** A unique key-name prefix for one scenario, so keys of other scenarios never count. */
export function uniquePrefix(label: string): string {
  return `rel-${label}-${randomBytes(4).toString('hex')}-`;
}

/** The terraform and provider blocks every fleet configuration starts with. */
export const FLEET_HEADER = `terraform {
  required_providers {
    keyform = { source = "keyform/keyform" }
  }
}
provider "keyform" {}
`;

/** The HCL of `count` keys named `<prefix><index>`. */
export function fleetConfig(prefix: string, count: number, shape: FleetShape): string {
  return `${FLEET_HEADER}resource "keyform_api_key" "k" {
  count       = ${count}
  name        = "${prefix}\${count.index}"
  type        = "secret"
  scopes      = ${JSON.stringify(shape.scopes)}
  description = ${JSON.stringify(shape.description)}
}
`;
}

/** A Terraform working directory bound to a server (endpoint and admin client credentials via env). */
export async function fleetWorkdir(installed: InstalledProvider, server: Pick<TestServer, 'url' | 'adminClientId' | 'adminClientSecret'>): Promise<TerraformWorkdir> {
  const tf = await TerraformWorkdir.create(installed.provider, serverEnv(server, FLEET_MID));
  tf.writeConfig(fleetConfig('unused-', 0, { description: '', scopes: [] }));
  const init = await tf.init();
  if (init.code !== 0) throw new Error(`terraform init failed:\n${init.stdout}${init.stderr}`);
  return tf;
}

/**
 * A verification client for the test itself. It talks to the same (possibly faulty) server, so it
 * retries far more than the provider does: the test's own reads must not be what fails.
 */
export function verificationClient(server: Pick<TestServer, 'url' | 'adminClientId' | 'adminClientSecret'>): KeyformClient {
  return new KeyformClient({
    endpoint: server.url,
    clientId: server.adminClientId,
    clientSecret: server.adminClientSecret,
    retry: { maxRetries: 20, maxElapsedMs: 120_000, maxDelayMs: 1_000 },
  });
}

/** Every key of the fleet's merchant whose name starts with `prefix`, in any status. */
export async function serverKeys(client: KeyformClient, prefix: string): Promise<ApiKey[]> {
  const all = await client.listAllApiKeys({ mid: FLEET_MID, limit: 1000 });
  return all.filter((k) => k.name.startsWith(prefix));
}

/** The number of active keys with `prefix` (one listing). */
export async function activeCount(client: KeyformClient, prefix: string): Promise<number> {
  return (await serverKeys(client, prefix)).filter((k) => k.status === 'active').length;
}

/** A `keyform_api_key` instance as recorded in Terraform's state. */
export interface StateKey {
  readonly id: string;
  readonly name: string;
  /** The secret held in state (never print it). */
  readonly value: string | null;
}

/** The `keyform_api_key` instances recorded in the working directory's state. */
export function stateKeys(tf: TerraformWorkdir): StateKey[] {
  if (!tf.exists('terraform.tfstate')) return [];
  const state = JSON.parse(tf.read('terraform.tfstate')) as {
    resources?: Array<{ mode: string; type: string; instances: Array<{ attributes: StateKey }> }>;
  };
  return (state.resources ?? [])
    .filter((r) => r.mode === 'managed' && r.type === 'keyform_api_key')
    .flatMap((r) => r.instances.map((i) => ({ id: i.attributes.id, name: i.attributes.name, value: i.attributes.value })));
}

/** The server's fingerprint of a secret value (`sha256:` + 16 hex digits of its sha256). */
function fingerprintOf(value: string): string {
  return `sha256:${createHash('sha256').update(value).digest('hex').slice(0, 16)}`;
}

/**
 * What a converged fleet looks like, as one comparable object: the server holds exactly `count`
 * active keys with the prefix, no key with the prefix in any other status (nothing created twice and
 * cleaned up, nothing lost), one key per name, Terraform's state holds exactly those ids, and the
 * secret in state is the key's current one (its fingerprint is the server's). Names only, no secrets.
 */
export async function fleetSnapshot(client: KeyformClient, tf: TerraformWorkdir, prefix: string) {
  const keys = await serverKeys(client, prefix);
  const active = new Map(keys.filter((k) => k.status === 'active').map((k) => [k.id, k]));
  const inState = stateKeys(tf);
  const stateIds = new Set(inState.map((k) => k.id));
  return {
    active: active.size,
    notActive: keys.length - active.size,
    distinctNames: new Set(keys.map((k) => k.name)).size,
    serverKeysMissingFromState: [...active.values()].filter((k) => !stateIds.has(k.id)).map((k) => k.name),
    stateIdsMissingFromServer: [...stateIds].filter((id) => !active.has(id)),
    stateCount: stateIds.size,
    staleSecretsInState: inState.filter((k) => active.has(k.id) && (k.value === null || fingerprintOf(k.value) !== active.get(k.id)!.fingerprint)).map((k) => k.name),
  };
}

/** The snapshot of a fleet of `count` keys that converged. */
export function converged(count: number) {
  return {
    active: count,
    notActive: 0,
    distinctNames: count,
    serverKeysMissingFromState: [],
    stateIdsMissingFromServer: [],
    stateCount: count,
    staleSecretsInState: [],
  };
}

/** Pids of the running processes whose command line contains `needle` (Linux /proc). */
export function pidsWithCommandLine(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(join('/proc', entry, 'cmdline'), 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(needle)) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids.filter((p) => p !== process.pid);
}

/**
 * Pids of the keyform plugin processes Terraform started for working directory `dir`: the plugin runs
 * with Terraform's working directory as its own, from the provider cache inside it.
 */
export function pluginPids(dir: string): number[] {
  const want = realpathSync(dir);
  return pidsWithCommandLine('/keyform/keyform/').filter((pid) => {
    try {
      return realpathSync(`/proc/${pid}/cwd`) === want;
    } catch {
      return false;
    }
  });
}

/** Polls `probe` every `everyMs` until it returns true; throws after `timeoutMs`. */
export async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The error summaries of a failed Terraform run (for messages; no secrets are in Terraform's errors). */
export function errorSummaries(r: TerraformResult): string[] {
  return [...`${r.stdout}\n${r.stderr}`.matchAll(/^(?:│ )?Error: (.*)$/gm)].map((m) => m[1]);
}
