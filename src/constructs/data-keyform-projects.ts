/** The `DataKeyformProjects` construct: lists the projects of the account. */
import { Construct } from 'constructs';
import { IResolvable, TerraformDataSource, TerraformMetaArguments } from 'cdktf';
import { elementConfig } from './generator-metadata';

/** The arguments of the `keyform_projects` data source (none besides the meta-arguments). */
export interface DataKeyformProjectsConfig extends TerraformMetaArguments {}

/** The projects the provider's credentials can see (`data.keyform_projects`). */
export class DataKeyformProjects extends TerraformDataSource {
  /** The data source's Terraform type. */
  public static readonly tfResourceType = 'keyform_projects';

  constructor(scope: Construct, id: string, config: DataKeyformProjectsConfig = {}) {
    super(scope, id, elementConfig(scope, id, 'keyform_projects', config));
  }

  /** The project ids, sorted. */
  public get ids(): string[] {
    return this.getListAttribute('ids');
  }

  /** The projects, sorted by id: a list of objects with `id` and `name`. */
  public get projects(): IResolvable {
    return this.interpolationForAttribute('projects');
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    return {};
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    return {};
  }
}
