/** The `KeyformProvider` construct: the provider block (endpoint, client credentials, allow_live). */
import { Construct, IConstruct } from 'constructs';
import { IResolvable, TerraformProvider, TerraformProviderConfig, TerraformStack, Token } from 'cdktf';
import { brand, hasBrand } from './brand';
import { GENERATOR_METADATA, PROVIDER_SOURCE, PROVIDER_TYPE } from './generator-metadata';
import { assertSameLine } from './framework-line';
import { AttributeTable, hcl, jsonAttributes } from './hcl-attributes';

const defaultProviders = new WeakMap<IConstruct, { provider: KeyformProvider | undefined }>();

/** Settings of the keyform provider; every one has an environment fallback. */
export interface KeyformProviderConfig {
  /** Base URL of the Key Management API (env `KEYFORM_ENDPOINT`). */
  readonly endpoint?: string;
  /** A bearer token (env `KEYFORM_TOKEN`). Prefer the environment: a literal lands in cdk.tf.json. */
  readonly token?: string;
  /** OAuth client id for the client-credentials grant (env `KEYFORM_CLIENT_ID`). */
  readonly clientId?: string;
  /** OAuth client secret (env `KEYFORM_CLIENT_SECRET`). Prefer the environment. */
  readonly clientSecret?: string;
  /** Default merchant id for keys that do not set `mid` (env `KEYFORM_MID`). */
  readonly mid?: string;
  /** Whether live-mode credentials may be created or changed (env `KEYFORM_ALLOW_LIVE`, default false). */
  readonly allowLive?: boolean | IResolvable;
  /** Alias of this provider configuration, for several configurations in one stack. */
  readonly alias?: string;
}

/** The framework options of the provider; a stack of the other CDK line is refused before `super()`. */
function providerOptions(scope: Construct, id: string): TerraformProviderConfig {
  assertSameLine(scope, id);
  return { terraformResourceType: PROVIDER_TYPE, terraformGeneratorMetadata: GENERATOR_METADATA, terraformProviderSource: PROVIDER_SOURCE };
}

/** The keyform Terraform provider (`keyform/keyform`). */
export class KeyformProvider extends TerraformProvider {
  /** The provider's Terraform type. */
  public static readonly tfResourceType = PROVIDER_TYPE;

  /** Whether `x` is a keyform provider configuration, from any copy of keyform (unlike `instanceof`). */
  public static isKeyformProvider(x: any): x is KeyformProvider {
    return hasBrand(x, 'KeyformProvider');
  }

  /**
   * The provider a keyform element uses: the one it names, else the stack's keyform provider without
   * an alias (Terraform's default configuration), else undefined.
   */
  public static of(element: IConstruct, provider?: TerraformProvider): KeyformProvider | undefined {
    if (provider) return KeyformProvider.isKeyformProvider(provider) ? provider : undefined;
    const stack = TerraformStack.of(element);
    // Validation asks once per live key; walking the whole tree each time made synth quadratic.
    // The answer is reused within one synchronous pass (validation runs in a single tick).
    const cached = defaultProviders.get(stack);
    if (cached) return cached.provider;
    const found = stack.node.findAll().find((c): c is KeyformProvider => KeyformProvider.isKeyformProvider(c) && c.alias === undefined);
    defaultProviders.set(stack, { provider: found });
    setImmediate(() => defaultProviders.delete(stack));
    return found;
  }

  /** The settings as given. */
  public readonly config: KeyformProviderConfig;
  private _alias?: string;

  constructor(scope: Construct, id: string, config: KeyformProviderConfig = {}) {
    super(scope, id, providerOptions(scope, id));
    brand(this, 'KeyformProvider');
    this.config = config;
    this._alias = config.alias;
  }

  /** Alias of this provider configuration. */
  public get alias(): string | undefined {
    return this._alias;
  }

  public set alias(value: string | undefined) {
    this._alias = value;
  }

  /** Whether live-mode credentials are allowed by this configuration (a token counts as allowed). */
  public get allowLive(): boolean {
    return this.config.allowLive === true || Token.isUnresolved(this.config.allowLive);
  }

  /** The provider's settings, each once (Terraform name, HCL type, value): both renderings derive from it. */
  private attributeTable(): AttributeTable {
    const { endpoint, token, clientId, clientSecret, mid, allowLive } = this.config;
    return {
      endpoint: ['string', endpoint],
      token: ['string', token],
      client_id: ['string', clientId],
      client_secret: ['string', clientSecret],
      mid: ['string', mid],
      allow_live: ['boolean', allowLive],
      alias: ['string', this._alias],
    };
  }

  protected synthesizeAttributes(): { [name: string]: any } { return jsonAttributes(this.attributeTable()); }
  protected synthesizeHclAttributes(): { [name: string]: any } { return hcl(this.attributeTable()); }
}
