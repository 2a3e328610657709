/**
 * One well-formed call per route of the route table, with a fresh target where the call consumes
 * one (a key to revoke, an authorization with a grant to remove...). The access tables use it to
 * drive every route with a given credential.
 */
import { ROUTES } from '../../../src/model';
import { send, type ApiResponse } from './api';

/** A ready-to-send call of one route. */
export interface RouteCall {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  /** The id of the object the call changes (for the audit log), from its response. */
  target(res: ApiResponse): string;
}

/** What building a call needs: an admin sender for fixtures and the merchant the caller acts for. */
export interface CallContext {
  readonly base: string;
  /** Returns a valid admin bearer (tokens may be short-lived). */
  adminToken(): Promise<string>;
  /** Merchant of the calling key. */
  readonly mid: string;
  /** Scopes a created key should carry (a scoped caller may only hand out what it holds). */
  readonly grantScopes?: readonly string[];
}

let seq = 0;
const unique = (prefix: string) => `${prefix}_${process.pid}_${Date.now().toString(36)}_${++seq}`;

async function adminPost(ctx: CallContext, path: string, body: unknown): Promise<ApiResponse> {
  const res = await send(ctx.base, 'POST', path, { token: await ctx.adminToken(), body });
  if (res.status >= 300) throw new Error(`fixture ${path}: ${res.status} ${res.text}`);
  return res;
}

/** A fresh key of the caller's merchant, made by the admin. */
export async function freshKey(ctx: CallContext, extra: Record<string, unknown> = {}): Promise<{ id: string; value: string }> {
  return (await adminPost(ctx, '/v1/api-keys', { mid: ctx.mid, name: 'access-table target', type: 'secret', scopes: ['charges:read'], ...extra })).body;
}

/** A fresh authorization of usr_alice, made by the admin. */
export async function freshAuthorization(ctx: CallContext, extra: Record<string, unknown> = {}): Promise<{ id: string }> {
  return (await adminPost(ctx, '/v1/authorizations', { name: 'access-table target', kind: 'api_key', owner_id: 'usr_alice', capabilities: ['api'], ...extra })).body;
}

const idOf = (res: ApiResponse) => String(res.body?.id ?? '');

/** A well-formed call of route `id` that an authorized caller expects to succeed. */
export async function routeCall(id: string, ctx: CallContext): Promise<RouteCall> {
  const none = () => '';
  switch (id) {
    case 'createToken':
      throw new Error('createToken is public: it has no credential to check');
    case 'listScopes':
      return { method: 'GET', path: '/v1/scopes', target: none };
    case 'createApiKey':
      return { method: 'POST', path: '/v1/api-keys', body: { mid: ctx.mid, name: 'made in an access table', type: 'secret', scopes: [...(ctx.grantScopes ?? ['charges:read'])] }, target: idOf };
    case 'listApiKeys':
      return { method: 'GET', path: '/v1/api-keys', target: none };
    case 'getApiKey': {
      const k = await freshKey(ctx);
      return { method: 'GET', path: `/v1/api-keys/${k.id}`, target: () => k.id };
    }
    case 'updateApiKey': {
      // A key may only change keys within its own scopes (issue 9).
      const k = await freshKey(ctx, { scopes: [...(ctx.grantScopes ?? ['charges:read'])] });
      return { method: 'PATCH', path: `/v1/api-keys/${k.id}`, body: { name: unique('renamed') }, target: () => k.id };
    }
    case 'revokeApiKey': {
      // A key may only revoke keys within its own scopes (issue 9).
      const k = await freshKey(ctx, { scopes: [...(ctx.grantScopes ?? ['charges:read'])] });
      return { method: 'DELETE', path: `/v1/api-keys/${k.id}`, target: () => k.id };
    }
    case 'rotateApiKey': {
      // A key may only rotate keys within its own scopes (the rotation hands out the value).
      const k = await freshKey(ctx, { scopes: [...(ctx.grantScopes ?? ['charges:read'])] });
      return { method: 'POST', path: `/v1/api-keys/${k.id}/rotate`, body: { grace_period_seconds: 60 }, target: () => k.id };
    }
    case 'listApiKeyLogs': {
      const k = await freshKey(ctx);
      return { method: 'GET', path: `/v1/api-keys/${k.id}/logs`, target: () => k.id };
    }
    case 'getApiKeyUsage': {
      const k = await freshKey(ctx);
      return { method: 'GET', path: `/v1/api-keys/${k.id}/usage`, target: () => k.id };
    }
    case 'createAuthorization':
      // No grants: a key holds no user powers, so it may only create authorizations that hand out none (issue 9).
      return { method: 'POST', path: '/v1/authorizations', body: { name: unique('tool'), kind: 'api_key', owner_id: 'usr_alice' }, target: idOf };
    case 'listAuthorizations':
      return { method: 'GET', path: '/v1/authorizations', target: none };
    case 'getAuthorization': {
      const a = await freshAuthorization(ctx);
      return { method: 'GET', path: `/v1/authorizations/${a.id}`, target: () => a.id };
    }
    case 'updateAuthorization': {
      const a = await freshAuthorization(ctx);
      // A rename that narrows: widening is for callers holding the powers (see the no-escalation table).
      return { method: 'PATCH', path: `/v1/authorizations/${a.id}`, body: { name: unique('renamed'), capabilities: [] }, target: () => a.id };
    }
    case 'deleteAuthorization': {
      const a = await freshAuthorization(ctx);
      return { method: 'DELETE', path: `/v1/authorizations/${a.id}`, target: () => a.id };
    }
    case 'putProjectAccess': {
      // Lowering a role: raising one is for callers holding it (see the no-escalation table).
      const a = await freshAuthorization(ctx, { project_access: [{ project_id: 'proj_support', role: 'editor' }] });
      return { method: 'PUT', path: `/v1/authorizations/${a.id}/projects/proj_support`, body: { role: 'viewer' }, target: () => a.id };
    }
    case 'deleteProjectAccess': {
      const a = await freshAuthorization(ctx, { project_access: [{ project_id: 'proj_support', role: 'viewer' }] });
      return { method: 'DELETE', path: `/v1/authorizations/${a.id}/projects/proj_support`, target: () => a.id };
    }
    case 'putMcpServerGrant': {
      // A new grant: only a caller holding the MCP server (the admin client) may make it.
      const a = await freshAuthorization(ctx, { capabilities: ['mcp'], project_access: [{ project_id: 'proj_support', role: 'viewer' }] });
      return { method: 'PUT', path: `/v1/authorizations/${a.id}/mcp-servers/support-kb`, target: () => a.id };
    }
    case 'deleteMcpServerGrant': {
      const a = await freshAuthorization(ctx, { capabilities: ['mcp'], project_access: [{ project_id: 'proj_support', role: 'viewer' }], mcp_servers: ['support-kb'] });
      return { method: 'DELETE', path: `/v1/authorizations/${a.id}/mcp-servers/support-kb`, target: () => a.id };
    }
    case 'listProjects':
      return { method: 'GET', path: '/v1/projects', target: none };
    case 'listMcpServers':
      return { method: 'GET', path: '/v1/mcp-servers', target: none };
    case 'listAuditLog':
      return { method: 'GET', path: '/v1/audit-log', target: none };
    case 'adminCreateMerchant': {
      const mid = unique('mid');
      return { method: 'POST', path: '/v1/admin/merchants', body: { mid, name: 'Access Table Merchant' }, target: () => mid };
    }
    case 'adminListMerchants':
      return { method: 'GET', path: '/v1/admin/merchants', target: none };
    case 'adminCreateProject': {
      const pid = unique('proj');
      return { method: 'POST', path: '/v1/admin/projects', body: { id: pid, name: 'Access Table Project' }, target: () => pid };
    }
    case 'adminCreateMcpServer': {
      const sid = unique('mcp');
      return { method: 'POST', path: '/v1/admin/mcp-servers', body: { id: sid, project_id: 'proj_support', name: 'access table server' }, target: () => sid };
    }
    case 'adminCreateUser': {
      const uid = unique('usr');
      return { method: 'POST', path: '/v1/admin/users', body: { id: uid, mid: ctx.mid, name: 'Access Table User', roles: [{ project_id: 'proj_support', role: 'viewer' }], capabilities: ['api'] }, target: () => uid };
    }
    case 'adminListUsers':
      return { method: 'GET', path: '/v1/admin/users', target: none };
    case 'adminDeleteUser': {
      const uid = unique('usr');
      await adminPost(ctx, '/v1/admin/users', { id: uid, mid: ctx.mid, name: 'Access Table Leaver', roles: [{ project_id: 'proj_support', role: 'viewer' }], capabilities: ['api'] });
      return { method: 'DELETE', path: `/v1/admin/users/${uid}`, target: () => uid };
    }
    case 'introspectToken':
      // A token nobody issued: the answer is `{"active": false}`, and the call reads only.
      return { method: 'POST', path: '/oauth2/introspect', body: { token: `kfat_${'b'.repeat(32)}` }, target: none };
    default:
      throw new Error(`no access-table call for route ${id}: add one when adding a route`);
  }
}

/** Every route that needs a credential (all but the public token route). */
export const CREDENTIAL_ROUTES = ROUTES.filter((r) => r.access.kind !== 'public');
