/**
 * The adoption of an inventory: every object with its address, in a stable order, and the provider
 * settings the generated configuration needs. Both renderers (HCL and TypeScript) read this one value.
 */
import { unmanagedGrants } from '../handler/authorization';
import type { ApiKey, Authorization } from '../model';
import { assignAddresses, identifierOf } from './addresses';
import type { Inventory } from './inventory';

/** A key and its address (`keyform_api_key.<address>`). */
export interface AdoptedKey {
  readonly address: string;
  readonly key: ApiKey;
  /** Whether the configuration names the key's merchant (it differs from the provider's `mid`). */
  readonly writeMid: boolean;
}

/** A project grant of an adopted authorization. */
export interface AdoptedProjectAccess {
  readonly address: string;
  readonly projectId: string;
  readonly role: string;
  /** Import id, `<authorization_id>/<project_id>`. */
  readonly importId: string;
}

/** An MCP-server grant of an adopted authorization. */
export interface AdoptedMcpServerGrant {
  readonly address: string;
  readonly serverId: string;
  /** The server's project when the authorization holds access to it (the grant depends on that access). */
  readonly projectId: string | undefined;
  /** Import id, `<authorization_id>/<mcp_server_id>`. */
  readonly importId: string;
}

/** An authorization, its address and its grants. */
export interface AdoptedAuthorization {
  readonly address: string;
  readonly authorization: Authorization;
  readonly projects: readonly AdoptedProjectAccess[];
  readonly mcpServers: readonly AdoptedMcpServerGrant[];
  /**
   * Grants made outside keyform (no keyform origin on the server). An authoritative authorization
   * removes such grants on apply, imported or not, so these authorizations are adopted with
   * `grants = "additive"`: adoption never takes access away.
   */
  readonly grantsMadeByHand: number;
}

/** Everything a renderer needs. */
export interface Adoption {
  /** The provider block's `mid`: the one merchant of every key, or `--mid`; undefined when keys span merchants. */
  readonly providerMid: string | undefined;
  /** Live keys adopted: the provider needs `allow_live` to manage them. */
  readonly liveKeys: number;
  /** Authorizations in live mode (they need `allow_live` too). */
  readonly liveAuthorizations: number;
  readonly keys: readonly AdoptedKey[];
  readonly authorizations: readonly AdoptedAuthorization[];
}

const byCreation = <T extends { created_at: string; id: string }>(a: T, b: T) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id);

/** Plans the adoption of `inventory`. Pure. */
export function planAdoption(inventory: Inventory, mid?: string): Adoption {
  const mids = new Set(inventory.keys.map((k) => k.mid));
  const providerMid = mid ?? (mids.size === 1 ? [...mids][0] : undefined);
  const keyAddresses = assignAddresses(inventory.keys, 'key');
  const keys = [...inventory.keys].sort(byCreation).map((key) => ({ address: keyAddresses.get(key.id)!, key, writeMid: key.mid !== providerMid }));

  const authAddresses = assignAddresses(inventory.authorizations, 'authorization');
  const ordered = [...inventory.authorizations].sort(byCreation);
  // Grant addresses are `<authorization>_<project or server>`, unique within their resource type.
  const projectNames = ordered.flatMap((a) =>
    [...a.project_access]
      .sort((x, y) => x.project_id.localeCompare(y.project_id))
      .map((p) => ({ id: `${a.id}/${p.project_id}`, name: `${authAddresses.get(a.id)}_${identifierOf(p.project_id, 'project')}`, created_at: a.created_at })),
  );
  const serverNames = ordered.flatMap((a) =>
    [...a.mcp_servers].sort().map((s) => ({ id: `${a.id}/${s}`, name: `${authAddresses.get(a.id)}_${identifierOf(s, 'server')}`, created_at: a.created_at })),
  );
  const projectAddresses = assignAddresses(projectNames, 'project_access');
  const serverAddresses = assignAddresses(serverNames, 'mcp_server_grant');
  const authorizations = ordered.map((authorization) => {
    const granted = new Set(authorization.project_access.map((p) => p.project_id));
    return {
      address: authAddresses.get(authorization.id)!,
      authorization,
      grantsMadeByHand: unmanagedGrants(authorization).length,
      projects: [...authorization.project_access]
        .sort((x, y) => x.project_id.localeCompare(y.project_id))
        .map((p) => {
          const importId = `${authorization.id}/${p.project_id}`;
          return { address: projectAddresses.get(importId)!, projectId: p.project_id, role: p.role, importId };
        }),
      mcpServers: [...authorization.mcp_servers].sort().map((serverId) => {
        const importId = `${authorization.id}/${serverId}`;
        const project = inventory.serverProjects.get(serverId);
        return { address: serverAddresses.get(importId)!, serverId, projectId: project && granted.has(project) ? project : undefined, importId };
      }),
    };
  });
  return {
    providerMid,
    liveKeys: keys.filter((k) => k.key.mode === 'live').length,
    liveAuthorizations: authorizations.filter((a) => a.authorization.mode === 'live').length,
    keys,
    authorizations,
  };
}
