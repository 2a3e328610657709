/** The `McpServerGrant` construct (`keyform_mcp_server_grant`): an authorization's access to one MCP server. */
import { Construct } from 'constructs';
import { dependable, TerraformMetaArguments, TerraformResource } from 'cdktf';
import { brand, hasBrand } from './brand';
import { elementConfig } from './generator-metadata';
import { AttributeTable, hcl, jsonAttributes } from './hcl-attributes';
import type { OAuthAuthorization } from './oauth-authorization';

/** The arguments of a `keyform_mcp_server_grant`. */
export interface McpServerGrantConfig extends TerraformMetaArguments {
  /** The authorization that may reach the server, e.g. `authorization.id`. */
  readonly authorizationId: string;
  /** The MCP server, e.g. `billing-flow`. */
  readonly mcpServerId: string;
}

/**
 * Access of an authorization to one MCP server (`keyform_mcp_server_grant`). The authorization needs
 * the `mcp` capability and access to the server's project; `OAuthAuthorization.grantMcpServer`
 * checks both and orders the grant after the project access.
 */
export class McpServerGrant extends TerraformResource {
  /** The resource's Terraform type. */
  public static readonly tfResourceType = 'keyform_mcp_server_grant';

  /** Whether `x` is a keyform McpServerGrant, from any copy of keyform (unlike `instanceof`). */
  public static isMcpServerGrant(x: any): x is McpServerGrant {
    return hasBrand(x, 'McpServerGrant');
  }

  /** The arguments as given. */
  public readonly config: McpServerGrantConfig;

  constructor(scope: Construct, id: string, config: McpServerGrantConfig) {
    super(scope, id, elementConfig(scope, id, 'keyform_mcp_server_grant', config));
    brand(this, 'McpServerGrant');
    this.config = config;
  }

  /**
   * The authorization this grant was made on through `grantMcpServer`, for the policy's checks.
   * @internal
   */
  public _authorization?: OAuthAuthorization;

  /**
   * Computes the project accesses this grant must follow; evaluated at synth time because
   * `grantProject` may be called after `grantMcpServer`.
   * @internal
   */
  public _dependencies?: () => TerraformResource[];

  /** Adds this resource to the Terraform JSON output, ordered after its project access. */
  public toTerraform(): any {
    this.addLateDependencies();
    return super.toTerraform();
  }

  /** Adds this resource to the Terraform HCL output, ordered after its project access. */
  public toHclTerraform(): any {
    this.addLateDependencies();
    return super.toHclTerraform();
  }

  private readonly lateDependencies = new Set<TerraformResource>();

  private addLateDependencies(): void {
    if (!this._dependencies) return;
    // Rendered like cdktf's own dependsOn (a bare address), without duplicates across repeated synths.
    const current = new Set(this.dependsOn ?? []);
    for (const dependency of this._dependencies()) {
      if (!this.lateDependencies.has(dependency)) {
        this.lateDependencies.add(dependency);
        current.add(dependable(dependency));
      }
    }
    this.dependsOn = [...current];
  }

  /** The grant's id (`<authorization id>/<server id>`). */
  public get id(): string {
    return this.getStringAttribute('id');
  }

  /** The grant's arguments, each once (Terraform name, HCL type, value): both renderings derive from it. */
  private attributeTable(): AttributeTable {
    const { authorizationId, mcpServerId } = this.config;
    return { authorization_id: ['string', authorizationId], mcp_server_id: ['string', mcpServerId] };
  }

  protected synthesizeAttributes(): { [name: string]: any } { return jsonAttributes(this.attributeTable()); }
  protected synthesizeHclAttributes(): { [name: string]: any } { return hcl(this.attributeTable()); }
}
