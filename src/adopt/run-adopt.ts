/** The whole of `keyform adopt`: list the account, plan addresses, render, write the files. */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClientConfigError, KeyformClient } from '../client';
import { Mid } from '../model/api-key';
import { planAdoption, type Adoption } from './adoption';
import { loadInventory, type ProgressSink } from './inventory';
import { AdoptError, adoptMessages } from './messages';
import { renderHcl, type GeneratedFile } from './render-hcl';
import { renderTypeScript } from './render-ts';

/** Output formats. */
export const ADOPT_FORMATS = ['hcl', 'ts'] as const;

/** Options of {@link runAdopt}. */
export interface AdoptOptions {
  /** Directory to write into (created when missing). */
  readonly out: string;
  /** Only this merchant's objects; default KEYFORM_MID, else every merchant the credentials see. */
  readonly mid?: string;
  readonly format?: string;
  /** Only objects whose name starts with this. */
  readonly namePrefix?: string;
  /** Ids or name patterns (`*` wildcard) to leave out. */
  readonly exclude?: readonly string[];
  /** Overwrite files adopt writes even when they exist. */
  readonly force?: boolean;
  /** Environment with KEYFORM_ENDPOINT, KEYFORM_CLIENT_ID/SECRET or KEYFORM_TOKEN, KEYFORM_MID. */
  readonly env?: NodeJS.ProcessEnv;
  /** Module the generated TypeScript imports the constructs from (default `keyform`). */
  readonly moduleName?: string;
  readonly onProgress?: ProgressSink;
  /** Generation time written into the files (default now). */
  readonly now?: Date;
}

/** What was adopted. */
export interface AdoptResult {
  readonly adoption: Adoption;
  /** Paths written, relative to `out`. */
  readonly files: readonly string[];
  /** Import blocks written (objects plus grants). */
  readonly imports: number;
}

/** Runs the adoption; throws {@link AdoptError} (nothing written) on bad input or a failed listing. */
export async function runAdopt(opts: AdoptOptions): Promise<AdoptResult> {
  const env = opts.env ?? process.env;
  const format = opts.format ?? 'hcl';
  if (!(ADOPT_FORMATS as readonly string[]).includes(format)) throw adoptMessages.badFormat(format);
  const mid = opts.mid ?? (env.KEYFORM_MID || undefined);
  if (mid !== undefined && !Mid.safeParse(mid).success) throw adoptMessages.badMid(mid);
  if (!env.KEYFORM_ENDPOINT) throw adoptMessages.noEndpoint();
  if (!env.KEYFORM_TOKEN && !(env.KEYFORM_CLIENT_ID && env.KEYFORM_CLIENT_SECRET)) throw adoptMessages.noCredentials();
  const now = opts.now ?? new Date();

  // Fail on a non-empty directory before listing anything: a large account takes a while.
  const names = format === 'hcl' ? ['main.tf', 'api_keys.tf', 'authorizations.tf', 'imports.tf'] : ['main.ts', 'package.json', 'cdktf.json'];
  if (!opts.force && existsSync(opts.out)) {
    const present = readdirSync(opts.out).filter((f) => names.includes(f) || f.endsWith('.tf') || f.endsWith('.tf.json'));
    if (present.length) throw adoptMessages.outNotEmpty(opts.out, present);
  }

  let client: KeyformClient;
  try {
    client = KeyformClient.fromEnv(env);
  } catch (e) {
    if (e instanceof ClientConfigError) throw adoptMessages.badClient(e.message);
    throw e;
  }
  let adoption: Adoption;
  try {
    const inventory = await loadInventory(client, { mid, namePrefix: opts.namePrefix, exclude: opts.exclude }, opts.onProgress, [
      env.KEYFORM_TOKEN ?? '',
      env.KEYFORM_CLIENT_SECRET ?? '',
    ]);
    adoption = planAdoption(inventory, mid);
  } finally {
    await client.close();
  }
  const generatedAt = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const files: GeneratedFile[] = format === 'hcl' ? renderHcl(adoption, generatedAt) : renderTypeScript(adoption, generatedAt, opts.moduleName);
  mkdirSync(opts.out, { recursive: true });
  for (const f of files) writeFileSync(join(opts.out, f.name), f.text);
  const imports = adoption.keys.length + adoption.authorizations.reduce((n, a) => n + 1 + a.projects.length + a.mcpServers.length, 0);
  return { adoption, files: files.map((f) => f.name), imports };
}

export { AdoptError };
