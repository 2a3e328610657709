/** `Capability`: the capabilities an OAuth authorization may be granted, as typed constants. */
import { CAPABILITIES, CAPABILITY_DESCRIPTIONS, CAPABILITY_PREREQUISITES } from '../model/catalog';

/** A capability of an authorization: what kinds of operations it may perform. */
export class Capability {
  /** `mcp`: allows access to MCP servers. */
  public static readonly MCP = new Capability('mcp');
  /** `api`: allows access to the API, required for CLI and Terraform provider access. */
  public static readonly API = new Capability('api');
  /** `apps:view`: allows viewing apps. */
  public static readonly APPS_VIEW = new Capability('apps:view');
  /** `apps:admin`: allows managing custom apps (requires `apps:view`). */
  public static readonly APPS_ADMIN = new Capability('apps:admin');
  /** `flows:edit`: allows creating and modifying flows. */
  public static readonly FLOWS_EDIT = new Capability('flows:edit');
  /** `secrets:edit`: allows managing secrets. */
  public static readonly SECRETS_EDIT = new Capability('secrets:edit');
  /** `endpoints:access`: allows accessing HTTP endpoints on behalf of the user. */
  public static readonly ENDPOINTS_ACCESS = new Capability('endpoints:access');

  /** A capability by name (`'apps:view'`); unknown names are reported at synth time. */
  public static of(name: string): Capability {
    return new Capability(name);
  }

  /** Every capability of the catalog. */
  public static all(): Capability[] {
    return CAPABILITIES.map((c) => new Capability(c));
  }

  /** The capability's name as the API spells it, e.g. `apps:admin`. */
  public readonly name: string;

  private constructor(name: string) {
    this.name = name;
  }

  /** Whether the capability is in the catalog. */
  public get isKnown(): boolean {
    return (CAPABILITIES as readonly string[]).includes(this.name);
  }

  /** What the capability allows, or an empty string for an unknown one. */
  public get description(): string {
    return this.isKnown ? CAPABILITY_DESCRIPTIONS[this.name as (typeof CAPABILITIES)[number]] : '';
  }

  /** The capability this one requires, if any (`apps:admin` requires `apps:view`). */
  public get prerequisite(): string | undefined {
    return CAPABILITY_PREREQUISITES[this.name as (typeof CAPABILITIES)[number]];
  }

  /** The capability's name. */
  public toString(): string {
    return this.name;
  }
}
