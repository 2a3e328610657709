/** The `ProjectAccess` construct (`keyform_project_access`): an authorization's role on one project. */
import { Construct } from 'constructs';
import { TerraformMetaArguments, TerraformResource } from 'cdktf';
import { brand, hasBrand } from './brand';
import { checkRole } from './checks';
import { elementConfig } from './generator-metadata';
import { AttributeTable, hcl, jsonAttributes } from './hcl-attributes';
import { ProjectRole } from './project-role';

/** The arguments of a `keyform_project_access`. */
export interface ProjectAccessConfig extends TerraformMetaArguments {
  /** The authorization that gains access, e.g. `authorization.id`. */
  readonly authorizationId: string;
  /** The project, e.g. `proj_payments`. */
  readonly projectId: string;
  /** The role on the project; never more than the owner's own role. */
  readonly role: ProjectRole;
}

/** Access of an authorization to one project (`keyform_project_access`). */
export class ProjectAccess extends TerraformResource {
  /** The resource's Terraform type. */
  public static readonly tfResourceType = 'keyform_project_access';

  /** The arguments as given. */
  public readonly config: ProjectAccessConfig;

  /** Whether `x` is a keyform ProjectAccess, from any copy of keyform (unlike `instanceof`). */
  public static isProjectAccess(x: any): x is ProjectAccess {
    return hasBrand(x, 'ProjectAccess');
  }

  constructor(scope: Construct, id: string, config: ProjectAccessConfig) {
    super(scope, id, elementConfig(scope, id, 'keyform_project_access', config));
    brand(this, 'ProjectAccess');
    this.config = config;
    this.node.addValidation({ validate: () => checkRole(this.node.path, String(config.role)) });
  }

  /** The access's id (`<authorization id>/<project id>`). */
  public get id(): string {
    return this.getStringAttribute('id');
  }

  /** The access's arguments, each once (Terraform name, HCL type, value): both renderings derive from it. */
  private attributeTable(): AttributeTable {
    const c = this.config;
    return { authorization_id: ['string', c.authorizationId], project_id: ['string', c.projectId], role: ['string', c.role] };
  }

  protected synthesizeAttributes(): { [name: string]: any } { return jsonAttributes(this.attributeTable()); }
  protected synthesizeHclAttributes(): { [name: string]: any } { return hcl(this.attributeTable()); }
}
