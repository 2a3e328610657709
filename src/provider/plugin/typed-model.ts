/**
 * Typed models of schema blocks: a definition reads a state, plan or config as a typed object
 * (`model.get(planned).expiresAt`) and writes a state from one (`model.state({...})`), instead of
 * mapping each attribute by hand. The model's type is derived from the schema literal, so an
 * attribute exists in the model exactly when it exists in the schema.
 *
 * In a model: names are camelCase (`expires_at` is `expiresAt`), a null value is `null`, and a value
 * known only after apply is `undefined` (a collection holding an unknown element is wholly unknown).
 */
import { UNKNOWN, type BlockSchema, type CtyType, type NestedBlockSchema, type TfObject, type TfValue } from './framework';

/** `snake_case` as `camelCase`, at the type level. */
export type CamelCase<S extends string> = S extends `${infer H}_${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S;

/** The JavaScript type of a known value of a cty type. */
export type ValueOf<T> = T extends 'string'
  ? string
  : T extends 'number'
    ? number
    : T extends 'bool'
      ? boolean
      : T extends readonly ['list' | 'set', infer E]
        ? ValueOf<E>[]
        : T extends readonly ['map', infer E]
          ? Record<string, ValueOf<E>>
          : T extends readonly ['object', infer O]
            ? { [K in keyof O]: ValueOf<O[K]> | null }
            : TfValue;

type Attributes<S> = S extends { readonly attributes: infer A } ? A : never;
type Blocks<S> = S extends { readonly blocks: infer B } ? NonNullable<B> : Record<never, never>;
type NestedModel<N> = N extends { readonly nesting: 'single'; readonly block: infer B }
  ? ModelOf<B> | null
  : N extends { readonly block: infer B }
    ? ModelOf<B>[] | null
    : never;

/** The typed model of a block schema (see the module comment for null and unknown). */
export type ModelOf<S> = {
  -readonly [K in keyof Attributes<S> & string as CamelCase<K>]: (Attributes<S>[K] extends { readonly type: infer T } ? ValueOf<T> : never) | null | undefined;
} & {
  -readonly [K in keyof Blocks<S> & string as CamelCase<K>]: NestedModel<Blocks<S>[K]> | undefined;
};

/** Declares a block schema keeping its literal type, so that {@link ModelOf} can read it. */
export function blockSchema<const S extends BlockSchema<any>>(schema: S): S {
  return schema;
}

/** Declares a nested block keeping its literal type. */
export function nestedBlock<const N extends NestedBlockSchema<any>>(nested: N): N {
  return nested;
}

/** Reads and writes the objects of one block schema as typed models. */
export interface TypedModel<S> {
  /** The model of a state, plan or config object. */
  get(value: TfObject): ModelOf<S>;
  /** The object of a model (every attribute and block of the schema; `undefined` becomes UNKNOWN). */
  state(model: ModelOf<S>): TfObject;
}

const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function fromValue(type: CtyType, v: TfValue | undefined): unknown {
  if (v === UNKNOWN) return undefined;
  if (v === null || v === undefined) return null;
  if (type === 'number') return typeof v === 'number' ? v : Number(v);
  if (Array.isArray(type) && Array.isArray(v)) {
    const out = v.map((x) => fromValue(type[1] as CtyType, x));
    return out.some((x) => x === undefined) ? undefined : out;
  }
  if (Array.isArray(type) && type[0] === 'map' && typeof v === 'object') {
    const entries = Object.entries(v).map(([k, x]) => [k, fromValue(type[1], x)] as const);
    return entries.some(([, x]) => x === undefined) ? undefined : Object.fromEntries(entries);
  }
  return v;
}

function toValue(v: unknown): TfValue {
  if (v === undefined) return UNKNOWN;
  if (Array.isArray(v)) return v.map(toValue);
  return v as TfValue;
}

interface Codec {
  get(value: TfObject): Record<string, unknown>;
  state(model: Record<string, unknown>): TfObject;
}

function codec(schema: BlockSchema): Codec {
  const attributes = Object.entries(schema.attributes).map(([name, a]) => ({ name, key: camel(name), type: a.type }));
  const blocks = Object.entries(schema.blocks ?? {}).map(([name, b]) => ({ name, key: camel(name), model: codec(b.block) }));
  return {
    get(value) {
      const out: Record<string, unknown> = {};
      for (const a of attributes) out[a.key] = fromValue(a.type, value[a.name]);
      for (const b of blocks) {
        const v = value[b.name];
        out[b.key] =
          v === UNKNOWN ? undefined : v === null || v === undefined ? null : Array.isArray(v) ? v.map((x) => b.model.get(x as TfObject)) : b.model.get(v as TfObject);
      }
      return out;
    },
    state(m) {
      const out: TfObject = {};
      for (const a of attributes) out[a.name] = toValue(m[a.key]);
      for (const b of blocks) {
        const v = m[b.key];
        out[b.name] =
          v === undefined
            ? UNKNOWN
            : v === null
              ? null
              : Array.isArray(v)
                ? v.map((x) => b.model.state(x as Record<string, unknown>))
                : b.model.state(v as Record<string, unknown>);
      }
      return out;
    },
  };
}

/** The typed model of a block schema. */
export function typedModel<S extends BlockSchema<any>>(schema: S): TypedModel<S> {
  const c = codec(schema as BlockSchema);
  return { get: (value) => c.get(value) as ModelOf<S>, state: (model) => c.state(model as Record<string, unknown>) };
}

/**
 * The state an import passes to `read`: every attribute and block of the schema null but `attribute`,
 * which holds the import id (terraform-plugin-framework's ImportStatePassthroughID).
 */
export function passthroughState(schema: BlockSchema<any>, id: string, attribute = 'id'): TfObject {
  const state: TfObject = {};
  for (const name of Object.keys(schema.attributes)) state[name] = null;
  for (const name of Object.keys(schema.blocks ?? {})) state[name] = null;
  state[attribute] = id;
  return state;
}
