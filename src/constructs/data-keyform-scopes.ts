/** The `DataKeyformScopes` construct: lists every scope the API knows. */
import { Construct } from 'constructs';
import { IResolvable, TerraformDataSource, TerraformMetaArguments } from 'cdktf';
import { elementConfig } from './generator-metadata';

/** The arguments of the `keyform_scopes` data source (none besides the meta-arguments). */
export interface DataKeyformScopesConfig extends TerraformMetaArguments {}

/** The scope catalog of the Key Management API (`data.keyform_scopes`). */
export class DataKeyformScopes extends TerraformDataSource {
  /** The data source's Terraform type. */
  public static readonly tfResourceType = 'keyform_scopes';

  constructor(scope: Construct, id: string, config: DataKeyformScopesConfig = {}) {
    super(scope, id, elementConfig(scope, id, 'keyform_scopes', config));
  }

  /** Every scope string of the catalog, e.g. `customers:read`. */
  public get scopes(): string[] {
    return this.getListAttribute('scopes');
  }

  /** Every scope with its `scope`, `resource`, `access` and `description`. */
  public get items(): IResolvable {
    return this.interpolationForAttribute('items');
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    return {};
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    return {};
  }
}
