/**
 * Composite ids `<first>/<second>` (the grant resources' `<authorization_id>/<project_id>` and
 * `<authorization_id>/<mcp_server_id>`): built, parsed, read from a state and planned in one place.
 */
import { MESSAGES } from '../../handler';
import { DiagnosticError, UNKNOWN, type PlanModifier, type TfObject } from '../framework';
import { str } from './values';

/** An import id that is not `<first>/<second>` with both parts non-empty. */
export class InvalidImportIdError extends DiagnosticError {
  constructor(
    readonly typeName: string,
    readonly expected: string,
    readonly id: string,
  ) {
    const m = MESSAGES.invalidImportId(typeName, expected, id);
    super([{ severity: 'error', summary: m.summary, detail: `${m.detail} [${m.code}]` }]);
    this.name = 'InvalidImportIdError';
  }
}

/** The two parts of a composite id, by attribute name. */
export type IdParts<A extends string, B extends string> = { readonly [K in A | B]: string };

/** The composite id of one resource type: the attributes it joins and how. */
export interface CompositeId<A extends string, B extends string> {
  /** The form users write, e.g. `<authorization_id>/<project_id>`. */
  readonly expected: string;
  /** The id of two parts. */
  format(parts: IdParts<A, B>): string;
  /** The parts of an import id; throws {@link InvalidImportIdError}. */
  parse(id: string): IdParts<A, B>;
  /** The parts a state or plan holds (an unknown or null part is ''). */
  of(s: TfObject): IdParts<A, B>;
  /** The plan modifier of `id`: the joined parts when both are known, else unknown. */
  readonly planModifier: PlanModifier;
}

/** The composite id of `typeName` joining the attributes `first` and `second` with `/`. */
export function compositeId<A extends string, B extends string>(typeName: string, first: A, second: B): CompositeId<A, B> {
  const parts = (a: string, b: string) => ({ [first]: a, [second]: b }) as IdParts<A, B>;
  const format = (p: IdParts<A, B>) => `${p[first]}/${p[second]}`;
  const expected = `<${first}>/<${second}>`;
  return {
    expected,
    format,
    parse(id) {
      const split = id.split('/');
      if (split.length !== 2 || !split[0] || !split[1]) throw new InvalidImportIdError(typeName, expected, id);
      return parts(split[0], split[1]);
    },
    of: (s) => parts(str(s[first]) ?? '', str(s[second]) ?? ''),
    planModifier: {
      description: `${expected}, known once both parts are.`,
      modify({ planned }) {
        const a = str(planned[first]);
        const b = str(planned[second]);
        return { planValue: a && b ? format(parts(a, b)) : UNKNOWN };
      },
    },
  };
}
