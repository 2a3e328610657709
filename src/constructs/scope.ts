/** `Scope`: API-key scopes (`resource:action`) as typed values, checked by the rulebook. */
import { Token } from 'cdktf';
import { ALL_SCOPES, SCOPE_RESOURCES } from '../model/catalog';

/**
 * An API-key scope, `resource:read` or `resource:write` (`write` implies `read`).
 *
 * Building a scope never fails: an unknown scope is reported at synth time with the path of the key
 * that uses it, so the message says where to look.
 */
export class Scope {
  /** Read access to a resource, e.g. `Scope.read('customers')` is `customers:read`. */
  public static read(resource: string): Scope {
    return new Scope(`${resource}:read`);
  }

  /** Write access to a resource (implies read), e.g. `Scope.write('refunds')` is `refunds:write`. */
  public static write(resource: string): Scope {
    return new Scope(`${resource}:write`);
  }

  /** A scope from its string form, e.g. `Scope.parse('charges:read')`; a Terraform token is passed through. */
  public static parse(value: string): Scope {
    return new Scope(value);
  }

  /** Every scope of the catalog, in catalog order. */
  public static all(): Scope[] {
    return ALL_SCOPES.map((s) => new Scope(s));
  }

  /** The resource names of the catalog (`customers`, `refunds`, …). */
  public static resources(): string[] {
    return [...SCOPE_RESOURCES];
  }

  /** The scope as written, e.g. `customers:read`. */
  public readonly value: string;

  private constructor(value: string) {
    this.value = value;
  }

  /** The resource part (`customers` of `customers:read`); empty for an unresolved token. */
  public get resource(): string {
    return Token.isUnresolved(this.value) ? '' : this.value.split(':')[0];
  }

  /** The access part (`read` or `write`); empty for an unresolved token or a malformed scope. */
  public get access(): string {
    return Token.isUnresolved(this.value) ? '' : (this.value.split(':')[1] ?? '');
  }

  /** Whether this scope grants write access. */
  public get isWrite(): boolean {
    return this.access === 'write';
  }

  /** Whether the scope is in the catalog (unresolved tokens count as unknown here). */
  public get isKnown(): boolean {
    return ALL_SCOPES.includes(this.value);
  }

  /** The scope string, e.g. `customers:read`. */
  public toString(): string {
    return this.value;
  }
}
