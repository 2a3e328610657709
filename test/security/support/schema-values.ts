/**
 * Structure-aware values from the route table's zod schemas: each schema is turned into JSON Schema
 * (zod's own `toJSONSchema`) and walked to produce a value that mostly satisfies it, with realistic
 * ids per field name so that requests get past validation and exercise the handlers.
 */
import { z } from 'zod';
import type { Prng } from './prng';
import { hostileString } from './hostile-values';

/** A JSON Schema node as zod emits it. */
// JSON Schema is untyped by nature; the walker checks each keyword it uses.
export type JsonSchema = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The JSON Schema (input side) of a zod schema, with its `$defs` kept for `$ref` resolution. */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

/** Realistic values per field name (merchant ids, owners, projects, servers...). */
export type FieldHints = Readonly<Record<string, readonly unknown[]>>;

/** Generates values for JSON Schemas. */
export class SchemaValues {
  /** A generator drawing from `rng`, preferring `hints` for fields of those names. */
  constructor(
    private readonly rng: Prng,
    private readonly hints: FieldHints,
  ) {}

  /** Resolves a `$ref` against the root schema's `$defs`. */
  resolve(node: JsonSchema, root: JsonSchema): JsonSchema {
    let cur = node;
    for (let i = 0; i < 10 && typeof cur.$ref === 'string'; i++) {
      const name = (cur.$ref as string).replace(/^#\/\$defs\//, '');
      cur = cur.$ref === '#' ? root : (root.$defs?.[name] ?? {});
    }
    return cur;
  }

  /** A value that (mostly) satisfies `node`; `field` names the property for hints. */
  value(node: JsonSchema, root: JsonSchema, field?: string, depth = 0): unknown {
    const rng = this.rng;
    const n = this.resolve(node, root);
    const hint = field !== undefined ? this.hints[field] : undefined;
    if (hint && hint.length && rng.chance(0.8)) return rng.pick(hint);
    if (Array.isArray(n.anyOf)) return this.value(rng.pick(n.anyOf as JsonSchema[]), root, field, depth);
    if ('const' in n) return n.const;
    if (Array.isArray(n.enum)) return rng.pick(n.enum as unknown[]);
    switch (n.type) {
      case 'object':
        return this.object(n, root, depth);
      case 'array': {
        const max = Math.min(typeof n.maxItems === 'number' ? n.maxItems : 5, 6);
        const len = rng.int(0, max);
        const items = Array.from({ length: len }, () => this.value(n.items ?? {}, root, field ? `${field}[]` : undefined, depth + 1));
        // Enum arrays must be distinct to pass validation; keep duplicates now and then.
        return rng.chance(0.9) ? [...new Map(items.map((v) => [JSON.stringify(v), v])).values()] : items;
      }
      case 'string':
        return this.string(n);
      case 'integer':
      case 'number': {
        const min = typeof n.minimum === 'number' ? n.minimum : -10;
        const max = typeof n.maximum === 'number' ? Math.min(n.maximum, min + 100_000) : min + 1000;
        return rng.chance(0.9) ? rng.int(min, max) : rng.pick([min - 1, max + 1, 0.5]);
      }
      case 'boolean':
        return rng.chance(0.5);
      case 'null':
        return null;
      default:
        return rng.chance(0.5) ? 'x' : 1;
    }
  }

  private object(n: JsonSchema, root: JsonSchema, depth: number): Record<string, unknown> {
    const rng = this.rng;
    const out: Record<string, unknown> = {};
    const props = (n.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((n.required ?? []) as string[]);
    for (const [k, v] of Object.entries(props)) {
      if (required.has(k) || rng.chance(0.5)) out[k] = this.value(v, root, k, depth + 1);
    }
    // Records (metadata): a few string entries.
    if (!n.properties && n.additionalProperties && typeof n.additionalProperties === 'object') {
      for (let i = rng.int(0, 3); i > 0; i--) out[rng.string(rng.int(1, 8), 'abcdefgh_')] = rng.string(rng.int(0, 10), 'abc xyz');
    }
    return out;
  }

  private string(n: JsonSchema): string {
    const rng = this.rng;
    if (n.format === 'date-time') return rng.pick(['2030-01-31T00:00:00Z', '2031-06-01T12:00:00+02:00', '2000-01-01T00:00:00Z']);
    const min = typeof n.minLength === 'number' ? n.minLength : 0;
    const max = typeof n.maxLength === 'number' ? Math.min(n.maxLength, 40) : 40;
    const len = rng.int(Math.max(min, 1), Math.max(min, max, 1));
    if (n.pattern === '^[A-Za-z0-9_-]+$') return rng.string(len, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-');
    if (rng.chance(0.15)) return hostileString(rng);
    return rng.string(len, 'abcdefghij klmnopqrstuvwxyz0123456789-_.');
  }
}
