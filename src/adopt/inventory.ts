/**
 * What `keyform adopt` brings under code: every active API key and every authorization (with its
 * project roles and MCP servers) the credentials can see, listed page by page, plus the MCP-server
 * catalog (which project each server belongs to). Reads only.
 */
import type { KeyformClient } from '../client';
import type { ApiKey, Authorization, McpServer } from '../model';
import { Scrubber } from '../review/secret-scrub';
import { adoptMessages } from './messages';

/** The objects to adopt. */
export interface Inventory {
  readonly keys: readonly ApiKey[];
  readonly authorizations: readonly Authorization[];
  /** MCP server id → its project id. */
  readonly serverProjects: ReadonlyMap<string, string>;
}

/** Which objects to leave out. */
export interface InventoryFilter {
  /** Only objects of this merchant (keys by `mid`, authorizations by their owner's merchant). */
  readonly mid?: string;
  /** Only objects whose name starts with this. */
  readonly namePrefix?: string;
  /** Ids, or name patterns where `*` matches any run of characters. */
  readonly exclude?: readonly string[];
}

/** Progress of the listing: objects listed so far. */
export type ProgressSink = (what: 'keys' | 'authorizations', count: number) => void;

/** A name pattern (`*` wildcard) as an anchored regular expression. */
function patternOf(p: string): RegExp {
  return new RegExp(`^${p.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}

/** A predicate that keeps an object unless the filter leaves it out. */
export function filterOf(filter: InventoryFilter): (o: { id: string; name: string }) => boolean {
  const patterns = (filter.exclude ?? []).filter((p) => p !== '');
  for (const p of patterns) if (p.length > 200) throw adoptMessages.badExclude(p);
  const regexes = patterns.map(patternOf);
  return (o) =>
    (filter.namePrefix === undefined || o.name.startsWith(filter.namePrefix)) &&
    !patterns.includes(o.id) &&
    !regexes.some((r) => r.test(o.name));
}

/** Lists everything to adopt through `client`; errors never carry a secret in `secrets`. */
export async function loadInventory(client: KeyformClient, filter: InventoryFilter, onProgress: ProgressSink = () => {}, secrets: string[] = []): Promise<Inventory> {
  const keep = filterOf(filter);
  const scrub = new Scrubber(secrets);
  const fail = (what: string) => (e: unknown) => {
    throw adoptMessages.apiFailed(what, scrub.scrub(e instanceof Error ? e.message : String(e)));
  };
  const keys: ApiKey[] = [];
  let listed = 0;
  await (async () => {
    for await (const k of client.iterateApiKeys({ status: 'active', limit: 1000, ...(filter.mid ? { mid: filter.mid } : {}) })) {
      listed++;
      onProgress('keys', listed);
      if (k.status === 'active' && keep(k)) keys.push(k);
    }
  })().catch(fail('API keys'));
  const authorizations: Authorization[] = [];
  listed = 0;
  await (async () => {
    for await (const a of client.iterateAuthorizations({ limit: 1000 })) {
      listed++;
      onProgress('authorizations', listed);
      if ((filter.mid === undefined || a.mid === filter.mid) && keep(a)) authorizations.push(a);
    }
  })().catch(fail('authorizations'));
  const serverProjects = new Map<string, string>();
  if (authorizations.some((a) => a.mcp_servers.length > 0)) {
    const servers: McpServer[] = await client.listAllMcpServers({ limit: 1000 }).catch(fail('MCP servers'));
    for (const s of servers) serverProjects.set(s.id, s.project_id);
  }
  return { keys, authorizations, serverProjects };
}
