/** The `ApiKey` construct (`keyform_api_key`): a key, its scopes, rotation and secret delivery, checked at synth. */
import { Construct } from 'constructs';
import { TerraformMetaArguments, TerraformResource } from 'cdktf';
import { brand, hasBrand } from './brand';
import { KEY_MODES, KEY_TYPES } from '../model/catalog';
import { checkChoice, checkDescription, checkExpiresAt, checkLiveAllowed, checkName, checkRotation, checkScopes, unresolved } from './checks';
import { Duration } from './duration';
import { elementConfig } from './generator-metadata';
import { KeyMode } from './key-mode';
import { KeyType } from './key-type';
import { AttributeTable, hcl, jsonAttributes } from './hcl-attributes';
import { VALIDATION } from './messages';
import { Scope } from './scope';
import { deliveryProblems, deliveryToTerraform } from './secret-delivery';

/** When a key is rotated: a new value every `every`; the old value keeps working for `gracePeriod`. */
export interface ApiKeyRotation {
  /** How often the key is rotated, e.g. `Duration.days(90)`. */
  readonly every: Duration;
  /**
   * How long the previous value keeps working after a rotation, at most 30 days.
   * @default Duration.hours(24)
   */
  readonly gracePeriod?: Duration;
}

/**
 * Where a secret (a key's value, an authorization's client secret) is delivered once, so that it
 * stays out of Terraform state. Set exactly one of `file` or `command`. Changing the destination is
 * a re-delivery: a key is rotated (the old destination's secret works through the grace period), an
 * authorization is replaced.
 *
 * For live credentials prefer `command` into a durable secret store: a file exists only on the
 * machine that ran the apply, and a CI runner discards it (policy rule `KF108`).
 */
export interface ApiKeySecretDelivery {
  /**
   * A file the secret is written to (mode 0600). A relative path is relative to the app's directory
   * (where `cdktf synth` runs, next to cdktf.json), never to the stack's folder inside cdktf.out.
   */
  readonly file?: string;
  /**
   * A shell command that receives the secret on its standard input, e.g.
   * `vault kv put -mount=secret payments/checkout value=-`. It runs with only PATH, HOME, `inheritEnv`
   * and `env`, plus the credential's non-secret facts (`KEYFORM_KEY_ID`, `KEYFORM_KEY_FINGERPRINT`, …).
   */
  readonly command?: string;
  /** Literal environment variables of the command (configuration, visible in plans: not for secrets). */
  readonly env?: { [name: string]: string };
  /**
   * Names of environment variables the command receives from the environment Terraform runs in,
   * e.g. `['VAULT_ADDR', 'VAULT_TOKEN']` (never `KEYFORM_*`: the provider's credentials stay its own).
   */
  readonly inheritEnv?: string[];
  /**
   * How long the command may run before it is stopped and the apply fails.
   * @default Duration.seconds(60)
   */
  readonly timeout?: Duration;
}

/** The arguments of a `keyform_api_key`. */
export interface ApiKeyConfig extends TerraformMetaArguments {
  /** Name of the key; must not contain `<` or `>`. */
  readonly name: string;
  /** The key's type. */
  readonly type: KeyType;
  /** Test or live data; default test. Live requires `allowLive` on the provider. */
  readonly mode?: KeyMode;
  /** The merchant the key belongs to; default the provider's `mid`. */
  readonly mid?: string;
  /** The scopes the key may use. A secret key with no scopes has full account access. */
  readonly scopes?: Scope[];
  /** A description for reviewers. */
  readonly description?: string;
  /** When the key stops working, RFC 3339 (e.g. `2027-01-31T00:00:00Z`). */
  readonly expiresAt?: string;
  /** Scheduled rotation. */
  readonly rotation?: ApiKeyRotation;
  /** One-time delivery of the secret value to a file or a command. */
  readonly secretDelivery?: ApiKeySecretDelivery;
}

/** Options of the read-only preset: a test-mode secret key limited to read scopes. */
export interface ReadOnlyApiKeyProps extends TerraformMetaArguments {
  /** Name of the key; must not contain `<` or `>`. */
  readonly name: string;
  /** The read scopes, e.g. `[Scope.read('customers'), Scope.read('charges')]`. */
  readonly scopes: Scope[];
  /** The merchant the key belongs to; default the provider's `mid`. */
  readonly mid?: string;
  /** A description for reviewers. */
  readonly description?: string;
  /** When the key stops working, RFC 3339. */
  readonly expiresAt?: string;
  /** Scheduled rotation. */
  readonly rotation?: ApiKeyRotation;
  /** One-time delivery of the secret value to a file or a command. */
  readonly secretDelivery?: ApiKeySecretDelivery;
}

/** An API key of the Key Management API (`keyform_api_key`). */
export class ApiKey extends TerraformResource {
  /** The resource's Terraform type. */
  public static readonly tfResourceType = 'keyform_api_key';

  /** Whether `x` is a keyform ApiKey, from any copy of keyform (unlike `instanceof`). */
  public static isApiKey(x: any): x is ApiKey {
    return hasBrand(x, 'ApiKey');
  }

  /**
   * A read-only, test-mode secret key, e.g. for a support assistant that only looks things up.
   * Write scopes are rejected at synth time.
   */
  public static readOnly(scope: Construct, id: string, props: ReadOnlyApiKeyProps): ApiKey {
    const key = new ApiKey(scope, id, { ...props, type: KeyType.SECRET, mode: KeyMode.TEST });
    key.node.addValidation({
      validate: () =>
        props.scopes.filter((s) => !unresolved(s.value) && s.isWrite).map((s) => VALIDATION.readOnlyPresetWithWriteScope(key.node.path, s.value)),
    });
    return key;
  }

  /** The arguments as given. */
  public readonly config: ApiKeyConfig;

  constructor(scope: Construct, id: string, config: ApiKeyConfig) {
    super(scope, id, elementConfig(scope, id, 'keyform_api_key', config));
    brand(this, 'ApiKey');
    this.config = config;
    this.node.addValidation({ validate: () => this.problems() });
  }

  /** The key's mode (default test). */
  public get mode(): KeyMode {
    return this.config.mode ?? KeyMode.TEST;
  }

  /** The key's type. */
  public get keyType(): KeyType {
    return this.config.type;
  }

  /** The key's scope strings as synthesized. */
  public get scopeStrings(): string[] {
    return (this.config.scopes ?? []).map((s) => s.toString());
  }

  /** The key's id (`key_…`). */
  public get id(): string {
    return this.getStringAttribute('id');
  }

  /** The secret value; sensitive, and null when `secretDelivery` keeps it out of state. */
  public get value(): string {
    return this.getStringAttribute('value');
  }

  /** The value's prefix, which tells type and mode (`fsk_test_`, `fsk_`, …). */
  public get prefix(): string {
    return this.getStringAttribute('prefix');
  }

  /** A fingerprint of the value, safe to show. */
  public get fingerprint(): string {
    return this.getStringAttribute('fingerprint');
  }

  /** When the key was created. */
  public get createdAt(): string {
    return this.getStringAttribute('created_at');
  }

  /** The value's version, increased by each rotation. */
  public get version(): number {
    return this.getNumberAttribute('version');
  }

  /** When the key was last rotated. */
  public get rotatedAt(): string {
    return this.getStringAttribute('rotated_at');
  }

  /** When the key last authenticated a request, as of the last refresh; null if never. Never causes a planned change. */
  public get lastUsedAt(): string {
    return this.getStringAttribute('last_used_at');
  }

  /** The key's arguments, each once (Terraform name, HCL type, value): both renderings derive from it. */
  private attributeTable(): AttributeTable {
    const c = this.config;
    return {
      mid: ['string', c.mid],
      name: ['string', c.name],
      type: ['string', c.type],
      mode: ['string', c.mode],
      scopes: ['list', c.scopes?.map((s) => s.toString())],
      description: ['string', c.description],
      expires_at: ['string', c.expiresAt],
      rotation: ['block', rotationToTerraform(c.rotation)],
      secret_delivery: ['block', deliveryToTerraform(this, c.secretDelivery)],
    };
  }

  protected synthesizeAttributes(): { [name: string]: any } { return jsonAttributes(this.attributeTable()); }
  protected synthesizeHclAttributes(): { [name: string]: any } { return hcl(this.attributeTable()); }

  private problems(): string[] {
    const path = this.node.path;
    const c = this.config;
    const errors = [
      ...checkName(path, c.name),
      ...checkChoice(path, 'type', c.type, KEY_TYPES),
      ...checkChoice(path, 'mode', c.mode, KEY_MODES),
      ...checkScopes(path, this.scopeStrings),
      ...checkDescription(path, c.description),
    ];
    errors.push(...checkLiveAllowed(this, c.mode, c.provider));
    errors.push(...deliveryProblems(path, c.secretDelivery));
    if (c.rotation) errors.push(...checkRotation(path, c.rotation.every.toString(), c.rotation.gracePeriod?.toString()));
    errors.push(...checkExpiresAt(path, c.expiresAt));
    return errors;
  }
}

function rotationToTerraform(rotation?: ApiKeyRotation): { [name: string]: any } | undefined {
  if (!rotation) return undefined;
  return { every: rotation.every.toString(), grace_period: rotation.gracePeriod?.toString() };
}
