/** The zod model of the directory: merchants, projects, MCP servers, users and the seed file. */
import { z } from 'zod';
import { ObjectId, Role, Capability, ProjectAccess } from './authorization';
import { Mid } from './api-key';
import { Timestamp, page } from './common';

/** A merchant: the account API keys are bound to (seed 003). */
export const Merchant = z
  .object({ id: z.string(), object: z.literal('merchant'), mid: z.string(), name: z.string(), created_at: Timestamp })
  .meta({ id: 'Merchant' });
/** A merchant. */
export type Merchant = z.infer<typeof Merchant>;

/** A project: what authorizations are granted access to (seed 002). */
export const Project = z
  .object({ id: z.string(), object: z.literal('project'), name: z.string(), created_at: Timestamp })
  .meta({ id: 'Project' });
/** A project. */
export type Project = z.infer<typeof Project>;

/** An MCP server, living in one project. */
export const McpServer = z
  .object({ id: z.string(), object: z.literal('mcp_server'), project_id: z.string(), name: z.string(), created_at: Timestamp })
  .meta({ id: 'McpServer' });
/** An MCP server. */
export type McpServer = z.infer<typeof McpServer>;

/**
 * A dashboard user of one merchant: owns authorizations, which never exceed the user's own
 * permissions and belong to the user's merchant.
 */
export const User = z
  .object({
    id: z.string(),
    object: z.literal('user'),
    /**
     * The merchant the user belongs to; null only for a user from a store older than merchant-bound
     * users, until the admin assigns one (such a user's authorizations are the admin client's only).
     */
    mid: z.string().nullable(),
    name: z.string(),
    roles: z.array(ProjectAccess),
    capabilities: z.array(Capability),
    created_at: Timestamp,
  })
  .meta({ id: 'User' });
/** A dashboard user. */
export type User = z.infer<typeof User>;

/** A scope of the catalog with its plain-language meaning. */
export const ScopeInfo = z
  .object({ scope: z.string(), resource: z.string(), access: z.enum(['read', 'write']), description: z.string() })
  .meta({ id: 'ScopeInfo' });
/** A scope of the catalog. */
export type ScopeInfo = z.infer<typeof ScopeInfo>;

/** Pages of the catalogs. */
export const MerchantPage = page(Merchant).meta({ id: 'MerchantPage' });
/** A page of projects. */
export const ProjectPage = page(Project).meta({ id: 'ProjectPage' });
/** A page of MCP servers. */
export const McpServerPage = page(McpServer).meta({ id: 'McpServerPage' });
/** A page of users. */
export const UserPage = page(User).meta({ id: 'UserPage' });
/** The scope catalog (not paginated: it is small and fixed). */
export const ScopeCatalog = z.object({ data: z.array(ScopeInfo) }).meta({ id: 'ScopeCatalog' });
/** The scope catalog. */
export type ScopeCatalog = z.infer<typeof ScopeCatalog>;

const DisplayName = z
  .string({ error: 'Invalid name value: must be a string.' })
  .min(1, { error: 'Invalid name value: must not be empty.' })
  .max(200, { error: 'Invalid name value: at most 200 characters.' })
  .regex(/^[^<>]*$/, { error: 'Invalid name value: must not contain < or >.' });

/** Admin request: create (or update, idempotently) a merchant. */
export const CreateMerchantRequest = z.strictObject({ mid: Mid, name: DisplayName }).meta({ id: 'CreateMerchantRequest' });
/** Admin request: create a project. */
export const CreateProjectRequest = z.strictObject({ id: ObjectId, name: DisplayName }).meta({ id: 'CreateProjectRequest' });
/** Admin request: create an MCP server in a project. */
export const CreateMcpServerRequest = z
  .strictObject({ id: ObjectId, project_id: ObjectId, name: DisplayName })
  .meta({ id: 'CreateMcpServerRequest' });
/** Admin request: create a user of a merchant with project roles and capabilities; a user's merchant never changes. */
export const CreateUserRequest = z
  .strictObject({
    id: ObjectId,
    mid: Mid,
    name: DisplayName.optional(),
    roles: z.array(z.strictObject({ project_id: ObjectId, role: Role })).max(500).optional(),
    capabilities: z.array(Capability).max(20).optional(),
  })
  .meta({ id: 'CreateUserRequest' });

/** The `--seed` file of `keyform serve`: loaded idempotently at start. */
export const SeedFile = z
  .strictObject({
    merchants: z.array(CreateMerchantRequest).optional(),
    projects: z.array(CreateProjectRequest).optional(),
    mcp_servers: z.array(CreateMcpServerRequest).optional(),
    users: z.array(CreateUserRequest).optional(),
  })
  .meta({ id: 'SeedFile' });
/** The seed file. */
export type SeedFile = z.infer<typeof SeedFile>;
