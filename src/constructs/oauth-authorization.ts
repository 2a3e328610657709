/** The `OAuthAuthorization` construct (`keyform_oauth_authorization`): a user's authorization, its mode, kind and capabilities. */
import { Construct } from 'constructs';
import { TerraformMetaArguments, TerraformResource, Token } from 'cdktf';
import { brand, hasBrand } from './brand';
import { AuthorizationKind } from './authorization-kind';
import { Capability } from './capability';
import { AUTHORIZATION_KINDS, KEY_MODES } from '../model/catalog';
import { checkCapabilities, checkChoice, checkLiveAllowed, checkName, unresolved } from './checks';
import { elementConfig } from './generator-metadata';
import { AttributeTable, hcl, jsonAttributes } from './hcl-attributes';
import { KeyMode } from './key-mode';
import { McpServerGrant } from './mcp-server-grant';
import { VALIDATION } from './messages';
import { ProjectAccess } from './project-access';
import { ProjectRole } from './project-role';
import type { ApiKeySecretDelivery } from './api-key';
import { deliveryProblems, deliveryToTerraform } from './secret-delivery';

/** The arguments of a `keyform_oauth_authorization`. */
export interface OAuthAuthorizationConfig extends TerraformMetaArguments {
  /** Name of the authorization, e.g. `claude-code`; must not contain `<` or `>`. */
  readonly name: string;
  /** The user who delegates access (e.g. `usr_alice`); the authorization never exceeds their permissions. */
  readonly ownerId: string;
  /** How the tool authenticates; default OAuth 2. */
  readonly kind?: AuthorizationKind;
  /**
   * The data every token of the authorization may reach. `KeyMode.LIVE` needs `allowLive` on the
   * provider; changing the mode replaces the authorization (and its secret).
   * @default KeyMode.TEST
   */
  readonly mode?: KeyMode;
  /** What kinds of operations the authorization may perform. */
  readonly capabilities?: Capability[];
  /**
   * One-time delivery of the issued client secret to a file or a command, so that it never enters
   * Terraform state (state keeps its fingerprint). A new destination replaces the authorization.
   */
  readonly secretDelivery?: ApiKeySecretDelivery;
}

/** Options of `grantMcpServer`. */
export interface McpServerGrantOptions {
  /** The project the MCP server belongs to; must be granted with `grantProject`. Default: every granted project. */
  readonly project?: string;
}

/** Options of the MCP-assistant preset: one project, some of its MCP servers, nothing else. */
export interface McpAssistantProps {
  /** Name of the authorization, e.g. `claude-code`. */
  readonly name: string;
  /** The user who delegates access, e.g. `usr_alice`. */
  readonly ownerId: string;
  /** The project whose MCP servers the assistant may reach, e.g. `proj_payments`. */
  readonly projectId: string;
  /** The MCP servers, e.g. `['billing-flow', 'refunds-flow']`. */
  readonly mcpServerIds: string[];
  /** The role on the project; default viewer. */
  readonly role?: ProjectRole;
  /** Capabilities besides `mcp`, e.g. `Capability.API` for CLI access. Default none. */
  readonly additionalCapabilities?: Capability[];
  /** How the tool authenticates; default OAuth 2. */
  readonly kind?: AuthorizationKind;
  /**
   * The data the assistant's tokens may reach; `KeyMode.LIVE` needs `allowLive` on the provider.
   * @default KeyMode.TEST
   */
  readonly mode?: KeyMode;
}

/**
 * A delegated access from a user to a tool (`keyform_oauth_authorization`): capabilities, project
 * access (`grantProject`) and MCP-server grants (`grantMcpServer`).
 */
export class OAuthAuthorization extends TerraformResource {
  /** The resource's Terraform type. */
  public static readonly tfResourceType = 'keyform_oauth_authorization';

  /** Whether `x` is a keyform OAuthAuthorization, from any copy of keyform (unlike `instanceof`). */
  public static isOAuthAuthorization(x: any): x is OAuthAuthorization {
    return hasBrand(x, 'OAuthAuthorization');
  }

  /**
   * An assistant that may reach some MCP servers of one project and nothing else: capability `mcp`
   * (plus any additional ones), the project at `role` (default viewer), and one grant per server.
   */
  public static mcpAssistant(scope: Construct, id: string, props: McpAssistantProps): OAuthAuthorization {
    const authorization = new OAuthAuthorization(scope, id, {
      name: props.name,
      ownerId: props.ownerId,
      kind: props.kind,
      mode: props.mode,
      capabilities: [Capability.MCP, ...(props.additionalCapabilities ?? [])],
    });
    authorization.grantProject(props.projectId, props.role ?? ProjectRole.VIEWER);
    for (const server of props.mcpServerIds) authorization.grantMcpServer(server, { project: props.projectId });
    return authorization;
  }

  /** The arguments as given. */
  public readonly config: OAuthAuthorizationConfig;
  private readonly projectAccesses = new Map<string, ProjectAccess>();
  private readonly mcpGrants = new Map<string, McpServerGrant>();

  constructor(scope: Construct, id: string, config: OAuthAuthorizationConfig) {
    super(scope, id, elementConfig(scope, id, 'keyform_oauth_authorization', config));
    brand(this, 'OAuthAuthorization');
    this.config = config;
    this.node.addValidation({
      validate: () => [
        ...checkName(this.node.path, config.name),
        ...checkChoice(this.node.path, 'kind', config.kind, AUTHORIZATION_KINDS),
        ...checkChoice(this.node.path, 'mode', config.mode, KEY_MODES),
        ...checkCapabilities(this.node.path, this.capabilityNames),
        ...deliveryProblems(this.node.path, config.secretDelivery),
        ...checkLiveAllowed(this, config.mode, config.provider),
      ],
    });
  }

  /** The authorization's mode (default test). */
  public get mode(): KeyMode {
    return this.config.mode ?? KeyMode.TEST;
  }

  /** The capability names as synthesized. */
  public get capabilityNames(): string[] {
    return (this.config.capabilities ?? []).map((c) => c.name);
  }

  /** Whether the authorization holds a capability; true for a capability hidden behind a token. */
  public hasCapability(capability: Capability): boolean {
    const names = this.capabilityNames;
    return names.includes(capability.name) || names.some((n) => unresolved(n));
  }

  /** The project accesses made with `grantProject`. */
  public get projectGrants(): ProjectAccess[] {
    return [...this.projectAccesses.values()];
  }

  /** The MCP-server grants made with `grantMcpServer`. */
  public get mcpServerGrants(): McpServerGrant[] {
    return [...this.mcpGrants.values()];
  }

  /** The authorization's id. */
  public get id(): string {
    return this.getStringAttribute('id');
  }

  /** The OAuth client id issued for the tool. */
  public get clientId(): string {
    return this.getStringAttribute('client_id');
  }

  /** The OAuth client secret issued for the tool; sensitive, and null when `secretDelivery` keeps it out of state. */
  public get clientSecret(): string {
    return this.getStringAttribute('client_secret');
  }

  /** A fingerprint of the client secret, safe to show. */
  public get fingerprint(): string {
    return this.getStringAttribute('fingerprint');
  }

  /**
   * Gives the authorization a role on a project. Granting the same project again with the same role
   * returns the existing access.
   */
  public grantProject(projectId: string, role: ProjectRole): ProjectAccess {
    const existing = this.projectAccesses.get(projectId);
    if (existing) {
      if (existing.config.role !== role) {
        throw new Error(VALIDATION.projectGrantConflict(this.node.path, projectId, existing.config.role, role));
      }
      return existing;
    }
    const access = new ProjectAccess(this, childId('Project', projectId, this.projectAccesses.size), {
      authorizationId: this.id,
      projectId,
      role,
      provider: this.config.provider,
    });
    this.projectAccesses.set(projectId, access);
    return access;
  }

  /**
   * Lets the authorization reach an MCP server. Needs the `mcp` capability and access to the
   * server's project (`grantProject`); the grant is applied after that project access.
   */
  public grantMcpServer(serverId: string, options: McpServerGrantOptions = {}): McpServerGrant {
    const existing = this.mcpGrants.get(serverId);
    if (existing) return existing;
    const grant = new McpServerGrant(this, childId('Mcp', serverId, this.mcpGrants.size), {
      authorizationId: this.id,
      mcpServerId: serverId,
      provider: this.config.provider,
    });
    grant._authorization = this;
    grant._dependencies = () => this.accessesFor(options.project);
    grant.node.addValidation({
      validate: () => {
        const errors: string[] = [];
        if (!this.hasCapability(Capability.MCP)) errors.push(VALIDATION.mcpGrantWithoutMcpCapability(grant.node.path, serverId));
        if (this.accessesFor(options.project).length === 0) {
          errors.push(VALIDATION.mcpGrantWithoutProjectAccess(grant.node.path, serverId, options.project));
        }
        return errors;
      },
    });
    this.mcpGrants.set(serverId, grant);
    return grant;
  }

  /** The authorization's arguments, each once (Terraform name, HCL type, value): both renderings derive from it. */
  private attributeTable(): AttributeTable {
    const c = this.config;
    return {
      name: ['string', c.name],
      kind: ['string', c.kind ?? AuthorizationKind.OAUTH2],
      owner_id: ['string', c.ownerId],
      mode: ['string', c.mode],
      capabilities: ['list', c.capabilities?.map((capability) => capability.name)],
      secret_delivery: ['block', deliveryToTerraform(this, c.secretDelivery)],
    };
  }

  protected synthesizeAttributes(): { [name: string]: any } { return jsonAttributes(this.attributeTable()); }
  protected synthesizeHclAttributes(): { [name: string]: any } { return hcl(this.attributeTable()); }

  private accessesFor(project?: string): ProjectAccess[] {
    if (project === undefined) return this.projectGrants;
    const access = this.projectAccesses.get(project);
    if (access) return [access];
    // A token project id cannot be matched by value: any token-keyed access may be the one.
    return Token.isUnresolved(project) ? this.projectGrants : [];
  }
}

/** A readable construct id for a child named after a catalog id; tokens get a counter instead. */
function childId(prefix: string, name: string, index: number): string {
  return unresolved(name) || !/^[A-Za-z0-9_.:-]+$/.test(name) ? `${prefix}${index + 1}` : `${prefix}-${name}`;
}
