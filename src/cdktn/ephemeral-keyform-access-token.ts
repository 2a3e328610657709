/**
 * `ephemeral "keyform_access_token"` as a construct, on the cdktn line only (`keyform/cdktn`): CDK
 * Terrain has `TerraformEphemeralResource`, cdktf 0.21 has none (its apps use the escape hatch in
 * docs/guides/ephemeral-credentials.md). This file is compiled only into the cdktn builds
 * (scripts/cdk-lines.mjs), so it imports `cdktn` directly.
 */
import { Construct } from 'constructs';
import { TerraformEphemeralMetaArguments, TerraformEphemeralResource } from 'cdktn';
import { brand, hasBrand } from '../constructs/brand';
import { unresolved } from '../constructs/checks';
import { GENERATOR_METADATA } from '../constructs/generator-metadata';
import { AttributeTable, hcl, jsonAttributes } from '../constructs/hcl-attributes';
import { VALIDATION } from '../constructs/messages';

/** The arguments of `ephemeral "keyform_access_token"`. */
export interface EphemeralKeyformAccessTokenConfig extends TerraformEphemeralMetaArguments {
  /**
   * OAuth client that obtains the token.
   * @default the provider's client_id (KEYFORM_CLIENT_ID)
   */
  readonly clientId?: string;
  /**
   * Secret of `clientId`; set both or neither. Pass a reference (a variable or another ephemeral
   * value), not a literal: a literal is written into cdk.tf.json.
   * @default the provider's client_secret (KEYFORM_CLIENT_SECRET)
   */
  readonly clientSecret?: string;
}

/**
 * A short-lived bearer token for one Terraform run (`ephemeral "keyform_access_token"`): obtained
 * with client credentials when the run needs it, renewed while it lasts, revoked when it ends, and
 * never written to state or a plan file. Typical use: configure an aliased `KeyformProvider` with
 * `token: accessToken.accessToken` so that the resources of that provider act with this narrow,
 * one-run credential. Terraform 1.10+ (OpenTofu 1.11+) evaluates ephemeral blocks.
 */
export class EphemeralKeyformAccessToken extends TerraformEphemeralResource {
  /** The ephemeral resource's Terraform type. */
  public static readonly tfResourceType = 'keyform_access_token';

  /** Whether `x` is a keyform access token, from any copy of keyform (unlike `instanceof`). */
  public static isEphemeralKeyformAccessToken(x: any): x is EphemeralKeyformAccessToken {
    return hasBrand(x, 'KeyformAccessToken');
  }

  /** The arguments as given. */
  public readonly config: EphemeralKeyformAccessTokenConfig;

  constructor(scope: Construct, id: string, config: EphemeralKeyformAccessTokenConfig = {}) {
    super(scope, id, {
      terraformResourceType: 'keyform_access_token',
      terraformGeneratorMetadata: GENERATOR_METADATA,
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      forEach: config.forEach,
    });
    brand(this, 'KeyformAccessToken');
    this.config = config;
    this.node.addValidation({
      validate: () => {
        // An unresolved token may still be null at apply time; only literal halves are certain mistakes.
        const given = (v: string | undefined) => v !== undefined && (unresolved(v) || v !== '');
        if (given(config.clientId) === given(config.clientSecret)) return [];
        return [VALIDATION.accessTokenHalfCredentials(this.node.path, given(config.clientId) ? 'clientSecret' : 'clientId')];
      },
    });
  }

  /** The bearer token (sensitive, ephemeral: usable only where Terraform accepts ephemeral values, such as provider arguments). */
  public get accessToken(): string {
    return this.getStringAttribute('access_token');
  }

  /** When the token expires unless renewed (RFC 3339). */
  public get expiresAt(): string {
    return this.getStringAttribute('expires_at');
  }

  /** The client the token was issued to. */
  public get clientId(): string {
    return this.getStringAttribute('client_id');
  }

  /** The token's arguments, each once (Terraform name, HCL type, value): both renderings derive from it. */
  private attributeTable(): AttributeTable {
    return { client_id: ['string', this.config.clientId], client_secret: ['string', this.config.clientSecret] };
  }

  protected synthesizeAttributes(): { [name: string]: any } { return jsonAttributes(this.attributeTable()); }
  protected synthesizeHclAttributes(): { [name: string]: any } { return hcl(this.attributeTable()); }
}
