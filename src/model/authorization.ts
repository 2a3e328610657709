/** The zod model of OAuth authorizations, their capabilities, project access and MCP-server grants. */
import { z } from 'zod';
import { AUTHORIZATION_KINDS, CAPABILITIES, ROLES } from './catalog';
import { ApiKeyMode, Name } from './api-key';
import { Timestamp, byRule, page } from './common';
import { capabilitiesRule } from './rules/capabilities';
import { choiceApiMessage } from './rules/choice';

/** A capability of an authorization (seed 002). */
export const Capability = z.enum(CAPABILITIES, { error: choiceApiMessage('capability', CAPABILITIES) });
/** A capability. */
export type Capability = z.infer<typeof Capability>;

/** A project role, the same roles regular users have. */
export const Role = z.enum(ROLES, { error: choiceApiMessage('role', ROLES) });
/** A project role. */
export type Role = z.infer<typeof Role>;

/** Kind of authorization: an API-key authorization or an OAuth2 one. */
export const AuthorizationKind = z.enum(AUTHORIZATION_KINDS, { error: choiceApiMessage('kind', AUTHORIZATION_KINDS) });

/** An object id in a path or body, such as `proj_payments`. */
export const ObjectId = z
  .string({ error: 'Invalid id value: must be a string.' })
  .min(1, { error: 'Invalid id value: must not be empty.' })
  .max(64, { error: 'Invalid id value: at most 64 characters.' })
  .regex(/^[A-Za-z0-9_-]+$/, { error: 'Invalid id value: use letters, digits, _ and - only.' });

/** Access of an authorization to one project, at a role. */
export const ProjectAccess = z.strictObject({ project_id: ObjectId, role: Role }).meta({ id: 'ProjectAccess' });
/** Access to one project. */
export type ProjectAccess = z.infer<typeof ProjectAccess>;

/** The capabilities of a request, checked by the rulebook's capabilities rule (known, once each, prerequisites held). */
const CapabilityList = z
  .array(z.string({ error: choiceApiMessage('capability', CAPABILITIES) }).meta({ enum: [...CAPABILITIES] }), {
    error: 'Invalid capabilities value: must be an array of capabilities.',
  })
  .max(CAPABILITIES.length, { error: 'Invalid capabilities value: too many capabilities.' })
  .superRefine(byRule(capabilitiesRule));

const ProjectAccessList = z
  .array(ProjectAccess, { error: 'Invalid project_access value: must be an array of {project_id, role}.' })
  .max(500, { error: 'Invalid project_access value: at most 500 projects.' })
  .refine((p) => new Set(p.map((a) => a.project_id)).size === p.length, {
    error: 'Invalid project_access value: each project may appear only once.',
  });

const McpServerList = z
  .array(ObjectId, { error: 'Invalid mcp_servers value: must be an array of MCP server ids.' })
  .max(500, { error: 'Invalid mcp_servers value: at most 500 servers.' })
  .refine((s) => new Set(s).size === s.length, { error: 'Invalid mcp_servers value: each server may appear only once.' });

/** Request body of `POST /v1/authorizations`. */
export const CreateAuthorizationRequest = z
  .strictObject({
    name: Name,
    kind: AuthorizationKind,
    owner_id: ObjectId,
    /** `test` (default) or `live`; immutable. A live authorization must say `"mode": "live"`. */
    mode: ApiKeyMode.optional(),
    capabilities: CapabilityList.optional(),
    project_access: ProjectAccessList.optional(),
    mcp_servers: McpServerList.optional(),
  })
  .meta({ id: 'CreateAuthorizationRequest' });
/** Request body of `POST /v1/authorizations`. */
export type CreateAuthorizationRequest = z.infer<typeof CreateAuthorizationRequest>;

const immutable = (field: string) =>
  z.never({ error: `The ${field} of an authorization is immutable: create a new authorization instead.` }).optional();

/** Request body of `PATCH /v1/authorizations/{id}`; `kind`, `owner_id` and `mode` are immutable (400 naming the field). */
export const UpdateAuthorizationRequest = z
  .strictObject({
    name: Name.optional(),
    kind: immutable('kind'),
    owner_id: immutable('owner_id'),
    mode: immutable('mode'),
    capabilities: CapabilityList.optional(),
    project_access: ProjectAccessList.optional(),
    mcp_servers: McpServerList.optional(),
  })
  .meta({ id: 'UpdateAuthorizationRequest' });
/** Request body of `PATCH /v1/authorizations/{id}`. */
export type UpdateAuthorizationRequest = z.infer<typeof UpdateAuthorizationRequest>;

/**
 * Who made a grant: `keyform` marks a grant made by a declared keyform grant resource, so that an
 * authoritative authorization can tell a grant made by hand (no origin) from a declared one.
 */
export const GrantOrigin = z.enum(['keyform'], { error: 'Invalid origin value. Use keyform, or leave it out.' });

/** Request body of `PUT /v1/authorizations/{id}/projects/{project_id}`. */
export const PutProjectAccessRequest = z.strictObject({ role: Role, origin: GrantOrigin.optional() }).meta({ id: 'PutProjectAccessRequest' });

/** Request body of `PUT /v1/authorizations/{id}/mcp-servers/{mcp_server_id}`. */
export const PutMcpServerGrantRequest = z.strictObject({ origin: GrantOrigin.optional() }).meta({ id: 'PutMcpServerGrantRequest' });

/** A delegated access from a user to a tool (seed 002). */
export const Authorization = z
  .object({
    id: z.string(),
    object: z.literal('authorization'),
    name: z.string(),
    kind: AuthorizationKind,
    owner_id: z.string(),
    /** The mode of every token issued to this authorization: test data or live data. Immutable. */
    mode: ApiKeyMode,
    /**
     * The owner's merchant: only that merchant's API keys (and the admin client) see or change the
     * authorization. Null only while the owner has no merchant (a user from an older store).
     */
    mid: z.string().nullable(),
    capabilities: z.array(Capability),
    project_access: z.array(ProjectAccess),
    mcp_servers: z.array(z.string()),
    /** OAuth2 client id issued to an `oauth2` authorization; null for `api_key`. */
    client_id: z.string().nullable(),
    /** Fingerprint of the issued secret (client secret or API token). */
    fingerprint: z.string(),
    /** The grants made by declared grant resources (origin `keyform`, or granted before origins were recorded); the others were made by hand. */
    managed_grants: z.object({ project_ids: z.array(z.string()), mcp_server_ids: z.array(z.string()) }).optional(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'Authorization' });
/** An authorization. */
export type Authorization = z.infer<typeof Authorization>;

/** The create response: the authorization with its issued secret, shown this once. */
export const AuthorizationWithSecret = Authorization.extend({
  /** The OAuth2 client secret (`oauth2`) or the API token (`api_key`), returned only on creation. */
  secret: z.string(),
}).meta({ id: 'AuthorizationWithSecret' });
/** An authorization with its issued secret. */
export type AuthorizationWithSecret = z.infer<typeof AuthorizationWithSecret>;

/** A page of authorizations. */
export const AuthorizationPage = page(Authorization).meta({ id: 'AuthorizationPage' });
/** A page of authorizations. */
export type AuthorizationPage = z.infer<typeof AuthorizationPage>;

/**
 * `POST /oauth2/introspect` body (RFC 7662 section 2.1), form-encoded or JSON: the token a resource
 * server (such as an MCP server) received; `token_type_hint` is accepted and not needed.
 */
export const IntrospectionRequest = z
  .strictObject({
    token: z.string({ error: 'Invalid token value: must be a string.' }).min(1, { error: 'Invalid token value: must not be empty.' }).max(500, { error: 'Invalid token value: at most 500 characters.' }),
    token_type_hint: z.string().max(100).optional(),
  })
  .meta({ id: 'IntrospectionRequest' });
/** The introspection request. */
export type IntrospectionRequest = z.infer<typeof IntrospectionRequest>;

/**
 * `POST /oauth2/introspect` answer (RFC 7662 section 2.2). An inactive token (unknown, expired,
 * revoked, its owner gone, or not visible to the caller) answers only `{"active": false}`. An active
 * one carries what the token may reach *now*: the authorization's grants intersected with its owner's
 * current permissions.
 */
export const IntrospectionResponse = z
  .object({
    active: z.boolean(),
    /** The OAuth2 client id the token was issued to (`oauth2` authorizations only). */
    client_id: z.string().optional(),
    /** `Bearer` for access tokens, `api_key` for an `api_key` authorization's secret. */
    token_type: z.string().optional(),
    /** Expiry, seconds since the epoch; absent for an `api_key` authorization's secret (it lives until revoked). */
    exp: z.number().int().optional(),
    /** Issue time, seconds since the epoch (access tokens only). */
    iat: z.number().int().optional(),
    /** The effective capabilities, space-separated (RFC 7662 `scope`). */
    scope: z.string().optional(),
    /** The owner: the user the access is delegated from. */
    sub: z.string().optional(),
    /** The authorization the token belongs to. */
    authorization_id: z.string().optional(),
    /** The owner's merchant. */
    mid: z.string().nullable().optional(),
    mode: ApiKeyMode.optional(),
    capabilities: z.array(Capability).optional(),
    project_access: z.array(ProjectAccess).optional(),
    mcp_servers: z.array(z.string()).optional(),
  })
  .meta({ id: 'IntrospectionResponse' });
/** The introspection answer. */
export type IntrospectionResponse = z.infer<typeof IntrospectionResponse>;
