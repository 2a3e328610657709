import { z } from 'zod';
import { AUTHORIZATION_KINDS, CAPABILITIES, ROLES } from './catalog';
import { Name } from './api-key';
import { Timestamp, page } from './common';

/** A capability of an authorization (seed 002). */
export const Capability = z.enum(CAPABILITIES, {
  error: `Invalid capability value. Use one of: ${CAPABILITIES.join(', ')}.`,
});
/** A capability. */
export type Capability = z.infer<typeof Capability>;

/** A project role, the same roles regular users have. */
export const Role = z.enum(ROLES, { error: `Invalid role value. Use one of: ${ROLES.join(', ')}.` });
/** A project role. */
export type Role = z.infer<typeof Role>;

/** Kind of authorization: an API-key authorization or an OAuth2 one. */
export const AuthorizationKind = z.enum(AUTHORIZATION_KINDS, { error: 'Invalid kind value. Use one of: api_key, oauth2.' });

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

const CapabilityList = z
  .array(Capability, { error: 'Invalid capabilities value: must be an array of capabilities.' })
  .max(CAPABILITIES.length, { error: 'Invalid capabilities value: too many capabilities.' })
  .refine((c) => new Set(c).size === c.length, { error: 'Invalid capabilities value: each capability may appear only once.' });

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
    capabilities: CapabilityList.optional(),
    project_access: ProjectAccessList.optional(),
    mcp_servers: McpServerList.optional(),
  })
  .meta({ id: 'CreateAuthorizationRequest' });
/** Request body of `POST /v1/authorizations`. */
export type CreateAuthorizationRequest = z.infer<typeof CreateAuthorizationRequest>;

/** Request body of `PATCH /v1/authorizations/{id}`; `kind` and `owner_id` are immutable. */
export const UpdateAuthorizationRequest = z
  .strictObject({
    name: Name.optional(),
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
    /** The grants whose origin is `keyform` (made by declared grant resources); the others were made by hand. */
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
