/**
 * A snapshot of every object the server holds, read through the admin API: merchants, projects,
 * MCP servers, users, API keys (all statuses) and live authorizations. Used to prove that requests
 * changed nothing they should not have.
 */
import { request } from 'undici';

/** Objects keyed by `<kind>:<id>`, each as its JSON text (fields that move with use left out). */
export type Snapshot = Map<string, string>;

/** Fields that change by merely using a credential, not by changing it. */
const VOLATILE = new Set(['last_used_at']);

async function listAll(base: string, token: string, path: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  for (;;) {
    const url: string = `${base}${path}?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await request(url, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`snapshot: GET ${path} answered ${res.statusCode}: ${text}`);
    const page = JSON.parse(text) as { data: Record<string, unknown>[]; has_more: boolean; next_cursor: string | null };
    out.push(...page.data);
    if (!page.has_more || !page.next_cursor) return out;
    cursor = page.next_cursor;
  }
}

/** Reads every object through the admin API. */
export async function takeSnapshot(base: string, adminToken: string): Promise<Snapshot> {
  const snap: Snapshot = new Map();
  const kinds: [string, string][] = [
    ['merchant', '/v1/admin/merchants'],
    ['user', '/v1/admin/users'],
    ['project', '/v1/projects'],
    ['mcp_server', '/v1/mcp-servers'],
    ['api_key', '/v1/api-keys'],
    ['authorization', '/v1/authorizations'],
  ];
  for (const [kind, path] of kinds) {
    for (const obj of await listAll(base, adminToken, path)) {
      const kept = Object.fromEntries(Object.entries(obj).filter(([k]) => !VOLATILE.has(k)));
      snap.set(`${kind}:${String(obj.id)}`, JSON.stringify(kept));
    }
  }
  return snap;
}

/** Keys of objects added, removed or changed between two snapshots. */
export function changedKeys(before: Snapshot, after: Snapshot): string[] {
  const out: string[] = [];
  for (const [k, v] of after) if (before.get(k) !== v) out.push(k);
  for (const k of before.keys()) if (!after.has(k)) out.push(k);
  return out;
}
