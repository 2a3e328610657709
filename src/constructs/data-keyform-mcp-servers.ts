/** The `DataKeyformMcpServers` construct: lists the MCP servers of a project. */
import { Construct } from 'constructs';
import { IResolvable, TerraformDataSource, TerraformMetaArguments } from 'cdktf';
import { elementConfig } from './generator-metadata';
import { AttributeTable, hcl, jsonAttributes } from './hcl-attributes';

/** The arguments of the `keyform_mcp_servers` data source. */
export interface DataKeyformMcpServersConfig extends TerraformMetaArguments {
  /** Only the servers of this project, e.g. `proj_payments`. */
  readonly projectId?: string;
}

/** The MCP servers of the account (`data.keyform_mcp_servers`). */
export class DataKeyformMcpServers extends TerraformDataSource {
  /** The data source's Terraform type. */
  public static readonly tfResourceType = 'keyform_mcp_servers';

  /** The arguments as given. */
  public readonly config: DataKeyformMcpServersConfig;

  constructor(scope: Construct, id: string, config: DataKeyformMcpServersConfig = {}) {
    super(scope, id, elementConfig(scope, id, 'keyform_mcp_servers', config));
    this.config = config;
  }

  /** The server ids, sorted. */
  public get ids(): string[] {
    return this.getListAttribute('ids');
  }

  /** The servers, sorted by id: a list of objects with `id`, `name` and `project_id`. */
  public get servers(): IResolvable {
    return this.interpolationForAttribute('servers');
  }

  /** The data source's filter, each once (Terraform name, HCL type, value): both renderings derive from it. */
  private attributeTable(): AttributeTable {
    return { project_id: ['string', this.config.projectId] };
  }

  protected synthesizeAttributes(): { [name: string]: any } { return jsonAttributes(this.attributeTable()); }
  protected synthesizeHclAttributes(): { [name: string]: any } { return hcl(this.attributeTable()); }
}
