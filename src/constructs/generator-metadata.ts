/** The provider's fixed type and source address, shared by every construct's generator metadata. */
import { IConstruct } from 'constructs';
import { TerraformMetaArguments, TerraformProviderGeneratorMetadata, TerraformResourceConfig } from 'cdktf';
import { assertSameLine } from './framework-line';
import { VERSION } from '../version';

/** The provider's type and source address (fixed names). */
export const PROVIDER_TYPE = 'keyform';
/** The provider's source address, so `terraform init` finds it in the local mirror. */
export const PROVIDER_SOURCE = 'keyform/keyform';

/** `~> <major>.<minor>` of keyform's version: the provider versions these constructs speak to. */
export const PROVIDER_VERSION_CONSTRAINT = `~> ${VERSION.split('.').slice(0, 2).join('.')}`;

/** What cdktf writes into `required_providers` for every keyform element. */
export const GENERATOR_METADATA: TerraformProviderGeneratorMetadata = {
  providerName: PROVIDER_TYPE,
  providerVersionConstraint: PROVIDER_VERSION_CONSTRAINT,
};

/** Meta-arguments a keyform resource or data source accepts, with what only resources have. */
interface ElementMetaArguments extends TerraformMetaArguments {
  readonly provisioners?: TerraformResourceConfig['provisioners'];
  readonly connection?: TerraformResourceConfig['connection'];
}

/**
 * The cdktf options of a keyform element: its type, the provider metadata and the user's meta-arguments.
 * Called for `super()`, so a stack of the other CDK line is refused before the element joins the tree.
 */
export function elementConfig(scope: IConstruct, id: string, terraformResourceType: string, config: ElementMetaArguments): TerraformResourceConfig {
  assertSameLine(scope, id);
  return {
    terraformResourceType,
    terraformGeneratorMetadata: GENERATOR_METADATA,
    provider: config.provider,
    dependsOn: config.dependsOn,
    count: config.count,
    lifecycle: config.lifecycle,
    provisioners: config.provisioners,
    connection: config.connection,
    forEach: config.forEach,
  };
}
