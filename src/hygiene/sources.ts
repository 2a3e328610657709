/**
 * Where hygiene's facts come from: a Terraform state (a file, or `terraform show -json` in a
 * directory, or a cdktf project's local-backend state) and the Key Management API (keys with
 * last_used_at, usage by scope, authorizations, owners). Reads only; secrets are never read.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isKeyformApiError } from '../client';
import { openApiSource, type ApiSource } from '../client/api-source';
import type { ApiKey, Authorization, User } from '../model';
import { Scrubber } from '../review/secret-scrub';
import type { AuthorizationFacts, KeyFacts, OwnerFacts } from './facts';
import { hygieneMessages } from './messages';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const s = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** A managed resource of a state. */
export interface StateResource {
  readonly address: string;
  readonly type: string;
  readonly values: Obj;
}

/** The managed keyform resources of a parsed state (raw v4 or `terraform show -json`). */
export function resourcesOfState(doc: unknown): StateResource[] {
  const out: StateResource[] = [];
  if (!isObj(doc)) return out;
  if (typeof doc.version === 'number' && Array.isArray(doc.resources)) {
    for (const r of doc.resources) {
      if (!isObj(r) || r.mode !== 'managed' || typeof r.type !== 'string' || !r.type.startsWith('keyform_')) continue;
      const base = `${typeof r.module === 'string' && r.module ? `${r.module}.` : ''}${r.type}.${String(r.name)}`;
      for (const inst of Array.isArray(r.instances) ? r.instances : []) {
        if (!isObj(inst) || !isObj(inst.attributes)) continue;
        const key = inst.index_key;
        const suffix = key === undefined || key === null ? '' : typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(key)}]`;
        out.push({ address: `${base}${suffix}`, type: r.type, values: inst.attributes });
      }
    }
    return out;
  }
  const walk = (m: unknown) => {
    if (!isObj(m)) return;
    for (const r of Array.isArray(m.resources) ? m.resources : []) {
      if (isObj(r) && r.mode === 'managed' && typeof r.type === 'string' && r.type.startsWith('keyform_') && isObj(r.values)) out.push({ address: String(r.address), type: r.type, values: r.values });
    }
    for (const c of Array.isArray(m.child_modules) ? m.child_modules : []) walk(c);
  };
  if (isObj(doc.values)) walk(doc.values.root_module);
  return out;
}

/** Declared keys of a state. */
export function keysFromState(resources: readonly StateResource[]): KeyFacts[] {
  return resources
    .filter((r) => r.type === 'keyform_api_key')
    .map((r) => {
      const v = r.values;
      let rot: unknown = v.rotation;
      if (Array.isArray(rot)) rot = rot[0];
      const expiresAt = s(v.expires_at);
      return {
        id: s(v.id),
        name: s(v.name) ?? r.address,
        address: r.address,
        mid: s(v.mid),
        type: s(v.type),
        mode: s(v.mode),
        scopes: strings(v.scopes),
        status: expiresAt && Date.parse(expiresAt) <= Date.now() ? 'expired' : 'active',
        createdAt: s(v.created_at),
        rotatedAt: s(v.rotated_at),
        expiresAt,
        version: typeof v.version === 'number' ? v.version : null,
        // Only a provider that records it knows it; an older state has no such attribute.
        lastUsedAt: 'last_used_at' in v ? s(v.last_used_at) : undefined,
        rotation: isObj(rot) && s(rot.every) ? { every: s(rot.every)!, gracePeriod: s(rot.grace_period) } : null,
        exercised: undefined,
      } satisfies KeyFacts;
    });
}

/** Declared authorizations of a state, with the grants their own resources declare. */
export function authorizationsFromState(resources: readonly StateResource[]): AuthorizationFacts[] {
  const auths = resources.filter((r) => r.type === 'keyform_oauth_authorization');
  return auths.map((r) => {
    const id = s(r.values.id);
    const grants = resources.filter((g) => id && s(g.values.authorization_id) === id);
    return {
      id,
      name: s(r.values.name) ?? r.address,
      address: r.address,
      ownerId: s(r.values.owner_id) ?? '',
      mid: null,
      capabilities: strings(r.values.capabilities),
      projectAccess: grants.filter((g) => g.type === 'keyform_project_access').map((g) => ({ projectId: s(g.values.project_id) ?? '', role: s(g.values.role) ?? '' })),
      mcpServers: grants.filter((g) => g.type === 'keyform_mcp_server_grant').map((g) => s(g.values.mcp_server_id) ?? ''),
    };
  });
}

/** Parses a state file. */
export function readStateFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw hygieneMessages.badState(path, 'it cannot be read');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw hygieneMessages.badState(path, 'it is not JSON');
  }
}

/**
 * The state of a directory: a cdktf project's local-backend state (`terraform.<stack>.tfstate`) when
 * the directory holds main.ts, else `terraform show -json` run in it.
 */
export function readDirState(dir: string, terraform = 'terraform'): Promise<unknown> {
  if (existsSync(join(dir, 'main.ts'))) {
    const files = readdirSync(dir).filter((f) => /^terraform\..+\.tfstate$/.test(f));
    if (files.length) return Promise.resolve({ version: 4, resources: files.flatMap((f) => ((readStateFile(join(dir, f)) as Obj).resources as unknown[]) ?? []) });
  }
  return new Promise((ok, fail) => {
    execFile(terraform, ['show', '-json', '-no-color'], { cwd: dir, maxBuffer: 1 << 30, env: { ...process.env, CHECKPOINT_DISABLE: '1' } }, (err, stdout, stderr) => {
      if (err) return fail(hygieneMessages.badState(dir, `\`terraform show -json\` failed: ${new Scrubber().scrub(String(stderr || err.message)).split('\n').filter(Boolean).slice(-3).join(' ')}`));
      try {
        ok(JSON.parse(stdout));
      } catch {
        fail(hygieneMessages.badState(dir, '`terraform show -json` did not print JSON'));
      }
    });
  });
}

/** Credentials and scope of an API read, and where the usage window starts. */
export interface UsageSource extends ApiSource {
  /** First UTC day of the usage window. */
  readonly since: string;
}

/** What the API told. */
export interface ApiFacts {
  readonly keys: KeyFacts[];
  readonly authorizations: AuthorizationFacts[];
  /** Owners by id; undefined when they could not be listed (not the admin client). */
  readonly owners: ReadonlyMap<string, OwnerFacts> | undefined;
  readonly serverProjects: ReadonlyMap<string, string>;
  readonly notices: string[];
}

function keyFacts(k: ApiKey, exercised: string[] | undefined): KeyFacts {
  return {
    id: k.id,
    name: k.name,
    address: null,
    mid: k.mid,
    type: k.type,
    mode: k.mode,
    scopes: [...k.scopes].sort(),
    status: k.status === 'expired' ? 'expired' : 'active',
    createdAt: k.created_at,
    rotatedAt: k.rotated_at,
    expiresAt: k.expires_at,
    version: k.version,
    lastUsedAt: k.last_used_at,
    rotation: undefined,
    exercised,
  };
}

function authFacts(a: Authorization): AuthorizationFacts {
  return {
    id: a.id,
    name: a.name,
    address: null,
    ownerId: a.owner_id,
    mid: a.mid,
    capabilities: [...a.capabilities],
    projectAccess: a.project_access.map((p) => ({ projectId: p.project_id, role: p.role })),
    mcpServers: [...a.mcp_servers],
  };
}

/** Runs `fn` over `items` with at most `n` in flight. */
async function mapLimit<T, R>(items: readonly T[], n: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

const forbidden = (e: unknown) => isKeyformApiError(e) && (e as { status?: number }).status === 403;

/** Reads keys, their usage, authorizations and owners. */
export async function loadApiFacts(src: UsageSource, onProgress?: (what: string, n: number) => void): Promise<ApiFacts> {
  const { client, scrub } = openApiSource(
    src,
    { noCredentials: hygieneMessages.endpointNeedsCredentials, badSettings: (detail) => hygieneMessages.apiFailed('the client settings', detail) },
    8,
  );
  const fail = (what: string) => (e: unknown): never => {
    throw hygieneMessages.apiFailed(what, scrub(e));
  };
  const notices: string[] = [];
  try {
    const apiKeys: ApiKey[] = [];
    await (async () => {
      for await (const k of client.iterateApiKeys({ limit: 1000, ...(src.mid ? { mid: src.mid } : {}) })) {
        if (k.status !== 'revoked') apiKeys.push(k);
        onProgress?.('keys', apiKeys.length);
      }
    })().catch(fail('API keys'));
    let usageKnown = true;
    let done = 0;
    const usage = await mapLimit(apiKeys, 8, async (k) => {
      if (!usageKnown || k.status !== 'active') return undefined;
      try {
        const u = await client.getApiKeyUsage(k.id, { since: src.since });
        onProgress?.('usage', ++done);
        return u.scopes.filter((x) => x.scope !== null && x.requests > 0).map((x) => x.scope as string);
      } catch (e) {
        if (forbidden(e)) {
          usageKnown = false;
          return undefined;
        }
        return fail(`usage of ${k.id}`)(e);
      }
    });
    if (!usageKnown) notices.push(hygieneMessages.usageUnavailable());
    const keys = apiKeys.map((k, i) => keyFacts(k, usageKnown ? usage[i] : undefined));
    const auths: Authorization[] = [];
    await (async () => {
      for await (const a of client.iterateAuthorizations({ limit: 1000 })) if (!src.mid || a.mid === src.mid) auths.push(a);
    })().catch(fail('authorizations'));
    let owners: Map<string, OwnerFacts> | undefined = new Map();
    try {
      let cursor: string | undefined;
      for (;;) {
        const page = (await client.request('adminListUsers', { query: { limit: 1000, cursor } })) as { data: User[]; has_more: boolean; next_cursor: string | null };
        for (const u of page.data) owners.set(u.id, { id: u.id, roles: u.roles.map((r) => ({ projectId: r.project_id, role: r.role })), capabilities: [...u.capabilities] });
        if (!page.has_more || !page.next_cursor) break;
        cursor = page.next_cursor;
      }
    } catch (e) {
      if (!forbidden(e)) fail('users')(e);
      owners = undefined;
      notices.push(hygieneMessages.ownersUnavailable());
    }
    const serverProjects = new Map<string, string>();
    if (auths.some((a) => a.mcp_servers.length)) for (const m of await client.listAllMcpServers({ limit: 1000 }).catch(fail('MCP servers'))) serverProjects.set(m.id, m.project_id);
    return { keys, authorizations: auths.map(authFacts), owners, serverProjects, notices };
  } finally {
    await client.close();
  }
}
