/** The `DataKeyformApiKey` construct: reads one existing API key (never its secret) by id. */
import { Construct } from 'constructs';
import { TerraformDataSource, TerraformMetaArguments } from 'cdktf';
import { elementConfig } from './generator-metadata';
import { AttributeTable, hcl, jsonAttributes } from './hcl-attributes';

/** The arguments of the `keyform_api_key` data source. */
export interface DataKeyformApiKeyConfig extends TerraformMetaArguments {
  /** The key's id (`key_…`). */
  readonly keyId: string;
}

/** An existing API key's metadata, never its value (`data.keyform_api_key`). */
export class DataKeyformApiKey extends TerraformDataSource {
  /** The data source's Terraform type. */
  public static readonly tfResourceType = 'keyform_api_key';

  /** The arguments as given. */
  public readonly config: DataKeyformApiKeyConfig;

  constructor(scope: Construct, id: string, config: DataKeyformApiKeyConfig) {
    super(scope, id, elementConfig(scope, id, 'keyform_api_key', config));
    this.config = config;
  }

  /** The key's id. */
  public get id(): string {
    return this.getStringAttribute('id');
  }

  /** The key's merchant id. */
  public get mid(): string {
    return this.getStringAttribute('mid');
  }

  /** The key's name. */
  public get name(): string {
    return this.getStringAttribute('name');
  }

  /** The key's type. */
  public get type(): string {
    return this.getStringAttribute('type');
  }

  /** The key's mode. */
  public get mode(): string {
    return this.getStringAttribute('mode');
  }

  /** The key's scopes. */
  public get scopes(): string[] {
    return this.getListAttribute('scopes');
  }

  /** The value's prefix. */
  public get prefix(): string {
    return this.getStringAttribute('prefix');
  }

  /** The value's fingerprint. */
  public get fingerprint(): string {
    return this.getStringAttribute('fingerprint');
  }

  /** The key's description. */
  public get description(): string {
    return this.getStringAttribute('description');
  }

  /** `active`, `expired` or `revoked`. */
  public get status(): string {
    return this.getStringAttribute('status');
  }

  /** The value's version, increased by each rotation. */
  public get version(): number {
    return this.getNumberAttribute('version');
  }

  /** When the key was last rotated, if ever. */
  public get rotatedAt(): string {
    return this.getStringAttribute('rotated_at');
  }

  /** When the key last authenticated a request; null if never. */
  public get lastUsedAt(): string {
    return this.getStringAttribute('last_used_at');
  }

  /** When the key was created. */
  public get createdAt(): string {
    return this.getStringAttribute('created_at');
  }

  /** When the key expires, if ever. */
  public get expiresAt(): string {
    return this.getStringAttribute('expires_at');
  }

  /** The data source's argument, each once (Terraform name, HCL type, value): both renderings derive from it. */
  private attributeTable(): AttributeTable {
    return { id: ['string', this.config.keyId] };
  }

  protected synthesizeAttributes(): { [name: string]: any } { return jsonAttributes(this.attributeTable()); }
  protected synthesizeHclAttributes(): { [name: string]: any } { return hcl(this.attributeTable()); }
}
