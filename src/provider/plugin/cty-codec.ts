/**
 * cty values <-> plain JS values, driven by the schema. Terraform sends and expects every value as
 * cty's msgpack encoding (and stored state as cty JSON for UpgradeResourceState). The rules:
 * - every extension type decodes to {@link UNKNOWN} (Terraform sends ext 0 and ext 12, "refined");
 *   UNKNOWN encodes as ext 0;
 * - null and an empty collection are different values and stay different;
 * - numbers decode to `number` when exact, else to their decimal string; they always encode as
 *   decimal strings (so Terraform parses them exactly as it parses stored state, see writeNumber);
 * - `dynamic` is `[type JSON bytes, value]` in msgpack and `{value, type}` in JSON;
 * - objects always carry every attribute (null when absent); list/set nested blocks are arrays.
 */
import { UNKNOWN, type BlockSchema, type CtyType, type TfObject, type TfValue, type AttributePath } from './framework';
import { decodeMsgpack, MsgpackExt, MsgpackWriter, type MsgpackValue } from './msgpack';

/** A cty type including the forms only dynamic values use (tuples, objects with optional attributes). */
export type AnyCtyType =
  | CtyType
  | ['tuple', AnyCtyType[]]
  | ['object', { [attr: string]: AnyCtyType }, string[]?];

/** A value that does not fit its type; `path` names where. */
export class CtyCodecError extends Error {
  constructor(
    message: string,
    readonly path: AttributePath,
  ) {
    super(path.length > 0 ? `${formatPath(path)}: ${message}` : message);
    this.name = 'CtyCodecError';
  }
}

/** Formats a path the way Terraform users read it: `rotation[0].every`. */
export function formatPath(path: AttributePath): string {
  let out = '';
  for (const step of path) {
    if (typeof step === 'number') out += `[${step}]`;
    else out += out === '' ? step : `.${step}`;
  }
  return out;
}

type Mode = 'msgpack' | 'json';
type Path = (string | number)[];

const NUMBER_TEXT = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

function setKey(obj: Record<string, TfValue>, key: string, value: TfValue): void {
  // A map key may be "__proto__"; never let it reach the prototype.
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

function entriesOf(raw: unknown, path: Path): [string, unknown][] | undefined {
  if (raw instanceof Map) {
    const out: [string, unknown][] = [];
    for (const [k, v] of raw) {
      if (typeof k !== 'string') throw new CtyCodecError('map key is not a string', path);
      out.push([k, v]);
    }
    return out;
  }
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && !(raw instanceof Uint8Array)) {
    return Object.entries(raw as Record<string, unknown>);
  }
  return undefined;
}

function describe(raw: unknown): string {
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'a list';
  if (raw instanceof Map) return 'a map';
  if (raw instanceof Uint8Array) return 'binary data';
  return typeof raw === 'object' ? 'an object' : `a ${typeof raw}`;
}

function numberFrom(raw: unknown, path: Path): TfValue {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) throw new CtyCodecError('number is not finite', path);
    return raw;
  }
  if (typeof raw === 'bigint') return raw.toString();
  if (typeof raw === 'string') {
    if (!NUMBER_TEXT.test(raw)) throw new CtyCodecError(`"${raw}" is not a number`, path);
    const n = Number(raw);
    // Keep the string only when a JS number would lose digits.
    if (String(n) === raw) return n;
    if (/^-?[0-9]+$/.test(raw) && Number.isSafeInteger(n)) return n;
    return raw;
  }
  throw new CtyCodecError(`expected a number, got ${describe(raw)}`, path);
}

/** Parses a type from its JSON form (as bytes or text). */
function parseType(json: Uint8Array | string): AnyCtyType {
  const text = typeof json === 'string' ? json : Buffer.from(json).toString('utf8');
  return JSON.parse(text) as AnyCtyType;
}

function fromRaw(type: AnyCtyType, raw: unknown, path: Path, mode: Mode): TfValue {
  if (raw instanceof MsgpackExt) return UNKNOWN;
  if (type === 'dynamic') {
    if (raw === null || raw === undefined) return null;
    if (mode === 'msgpack') {
      if (!Array.isArray(raw) || raw.length !== 2 || !(raw[0] instanceof Uint8Array || typeof raw[0] === 'string')) {
        throw new CtyCodecError('dynamic value is not [type, value]', path);
      }
      return fromRaw(parseType(raw[0] as Uint8Array | string), raw[1], path, mode);
    }
    const entries = entriesOf(raw, path);
    const t = entries?.find(([k]) => k === 'type')?.[1];
    const v = entries?.find(([k]) => k === 'value')?.[1];
    if (t === undefined) throw new CtyCodecError('dynamic value is not {value, type}', path);
    return fromRaw(t as AnyCtyType, v, path, mode);
  }
  if (raw === null || raw === undefined) return null;
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        if (typeof raw === 'string') return raw;
        throw new CtyCodecError(`expected a string, got ${describe(raw)}`, path);
      case 'number':
        return numberFrom(raw, path);
      case 'bool':
        if (typeof raw === 'boolean') return raw;
        throw new CtyCodecError(`expected a bool, got ${describe(raw)}`, path);
      default:
        throw new CtyCodecError(`unsupported type ${JSON.stringify(type)}`, path);
    }
  }
  const [kind, arg] = type;
  switch (kind) {
    case 'list':
    case 'set': {
      if (!Array.isArray(raw)) throw new CtyCodecError(`expected a ${kind}, got ${describe(raw)}`, path);
      return raw.map((item, i) => fromRaw(arg as AnyCtyType, item, [...path, i], mode));
    }
    case 'tuple': {
      if (!Array.isArray(raw)) throw new CtyCodecError(`expected a tuple, got ${describe(raw)}`, path);
      const elems = arg as AnyCtyType[];
      return raw.map((item, i) => fromRaw(elems[i] ?? 'dynamic', item, [...path, i], mode));
    }
    case 'map': {
      const entries = entriesOf(raw, path);
      if (!entries) throw new CtyCodecError(`expected a map, got ${describe(raw)}`, path);
      const out: Record<string, TfValue> = {};
      for (const [k, v] of entries) setKey(out, k, fromRaw(arg as AnyCtyType, v, [...path, k], mode));
      return out;
    }
    case 'object': {
      const entries = entriesOf(raw, path);
      if (!entries) throw new CtyCodecError(`expected an object, got ${describe(raw)}`, path);
      const attrs = arg as { [attr: string]: AnyCtyType };
      const given = new Map(entries);
      const out: Record<string, TfValue> = {};
      for (const name of Object.keys(attrs)) setKey(out, name, fromRaw(attrs[name], given.get(name) ?? null, [...path, name], mode));
      return out;
    }
    default:
      throw new CtyCodecError(`unsupported type ${JSON.stringify(type)}`, path);
  }
}

function blockFromRaw(schema: BlockSchema, raw: unknown, path: Path, mode: Mode): TfObject | null | typeof UNKNOWN {
  if (raw instanceof MsgpackExt) return UNKNOWN;
  if (raw === null || raw === undefined) return null;
  const entries = entriesOf(raw, path);
  if (!entries) throw new CtyCodecError(`expected an object, got ${describe(raw)}`, path);
  const given = new Map(entries);
  const out: TfObject = {};
  for (const [name, attr] of Object.entries(schema.attributes)) {
    setKey(out, name, fromRaw(attr.type, given.get(name) ?? null, [...path, name], mode));
  }
  for (const [name, nested] of Object.entries(schema.blocks ?? {})) {
    const v = given.get(name) ?? null;
    if (v instanceof MsgpackExt) {
      out[name] = UNKNOWN;
    } else if (nested.nesting === 'single') {
      out[name] = blockFromRaw(nested.block, v, [...path, name], mode);
    } else if (v === null) {
      out[name] = [];
    } else if (Array.isArray(v)) {
      out[name] = v.map((item, i) => blockFromRaw(nested.block, item, [...path, name, i], mode));
    } else {
      throw new CtyCodecError(`expected a list of blocks, got ${describe(v)}`, [...path, name]);
    }
  }
  return out;
}

/** Decodes a msgpack DynamicValue of a schema block (a resource's state, config or plan). */
export function decodeBlock(schema: BlockSchema, bytes: Uint8Array | undefined): TfObject | null {
  if (!bytes || bytes.length === 0) return null;
  const v = blockFromRaw(schema, decodeMsgpack(bytes), [], 'msgpack');
  if (v === UNKNOWN) throw new CtyCodecError('the whole object is unknown', []);
  return v;
}

/** Decodes a cty JSON value of a schema block (stored state given to UpgradeResourceState). */
export function blockFromJson(schema: BlockSchema, json: unknown): TfObject | null {
  const v = blockFromRaw(schema, json, [], 'json');
  if (v === UNKNOWN) throw new CtyCodecError('the whole object is unknown', []);
  return v;
}

/** Decodes a msgpack value of any type. */
export function decodeValue(type: AnyCtyType, bytes: Uint8Array): TfValue {
  return fromRaw(type, decodeMsgpack(bytes), [], 'msgpack');
}

/** The cty type of a JS value, for values of attributes typed `dynamic`. */
function inferType(value: TfValue): AnyCtyType {
  if (value === null || value === UNKNOWN) return 'dynamic';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return ['tuple', value.map(inferType)];
  const attrs: { [k: string]: AnyCtyType } = {};
  for (const [k, v] of Object.entries(value)) attrs[k] = inferType(v);
  return ['object', attrs];
}

/**
 * Numbers go out as their decimal text, never as msgpack ints or floats: Terraform reads a msgpack
 * int as a 64-bit-precision number but stored (JSON) state as a 512-bit one, and a refresh-only plan
 * compares the two by identity, so an integer read back unchanged would still count as a change
 * (`plan -refresh-only -detailed-exitcode` exiting 2). Text decodes exactly like the stored state.
 */
function writeNumber(w: MsgpackWriter, value: unknown, path: Path): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CtyCodecError('number is not finite', path);
    w.str(String(value));
    return;
  }
  if (typeof value === 'bigint') {
    w.str(value.toString());
    return;
  }
  if (typeof value === 'string' && NUMBER_TEXT.test(value)) {
    w.str(value);
    return;
  }
  throw new CtyCodecError(`expected a number, got ${describe(value)}`, path);
}

function writeTyped(w: MsgpackWriter, type: AnyCtyType, value: unknown, path: Path): void {
  if (value === UNKNOWN) return w.unknown();
  if (value === null || value === undefined) return w.nil();
  if (type === 'dynamic') {
    const t = inferType(value as TfValue);
    w.arrayHeader(2);
    w.bin(Buffer.from(JSON.stringify(t), 'utf8'));
    return writeTyped(w, t, value, path);
  }
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        if (typeof value === 'string') return w.str(value);
        if (typeof value === 'number' || typeof value === 'boolean') return w.str(String(value));
        throw new CtyCodecError(`expected a string, got ${describe(value)}`, path);
      case 'number':
        return writeNumber(w, value, path);
      case 'bool':
        if (typeof value === 'boolean') return w.bool(value);
        if (value === 'true' || value === 'false') return w.bool(value === 'true');
        throw new CtyCodecError(`expected a bool, got ${describe(value)}`, path);
      default:
        throw new CtyCodecError(`unsupported type ${JSON.stringify(type)}`, path);
    }
  }
  const [kind, arg] = type;
  switch (kind) {
    case 'list':
    case 'set':
    case 'tuple': {
      if (!Array.isArray(value)) throw new CtyCodecError(`expected a ${kind}, got ${describe(value)}`, path);
      w.arrayHeader(value.length);
      value.forEach((item, i) =>
        writeTyped(w, kind === 'tuple' ? ((arg as AnyCtyType[])[i] ?? 'dynamic') : (arg as AnyCtyType), item, [...path, i]),
      );
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) throw new CtyCodecError(`expected a map, got ${describe(value)}`, path);
      const keys = Object.keys(value).sort();
      w.mapHeader(keys.length);
      for (const k of keys) {
        w.str(k);
        writeTyped(w, arg as AnyCtyType, (value as Record<string, unknown>)[k], [...path, k]);
      }
      return;
    }
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) throw new CtyCodecError(`expected an object, got ${describe(value)}`, path);
      const attrs = arg as { [attr: string]: AnyCtyType };
      const keys = Object.keys(attrs).sort();
      w.mapHeader(keys.length);
      for (const k of keys) {
        w.str(k);
        writeTyped(w, attrs[k], (value as Record<string, unknown>)[k], [...path, k]);
      }
      return;
    }
    default:
      throw new CtyCodecError(`unsupported type ${JSON.stringify(type)}`, path);
  }
}

function writeBlock(w: MsgpackWriter, schema: BlockSchema, value: unknown, path: Path): void {
  if (value === UNKNOWN) return w.unknown();
  if (value === null || value === undefined) return w.nil();
  if (typeof value !== 'object' || Array.isArray(value)) throw new CtyCodecError(`expected an object, got ${describe(value)}`, path);
  const obj = value as Record<string, unknown>;
  const blocks = schema.blocks ?? {};
  const names = [...Object.keys(schema.attributes), ...Object.keys(blocks)].sort();
  w.mapHeader(names.length);
  for (const name of names) {
    w.str(name);
    const attr = schema.attributes[name];
    if (attr) {
      writeTyped(w, attr.type, obj[name], [...path, name]);
      continue;
    }
    const nested = blocks[name];
    const v = obj[name];
    if (nested.nesting === 'single' || v === UNKNOWN) {
      writeBlock(w, nested.block, v, [...path, name]);
    } else {
      // Blocks of list/set nesting are never null in Terraform: absent means no blocks.
      const items = v === null || v === undefined ? [] : v;
      if (!Array.isArray(items)) throw new CtyCodecError(`expected a list of blocks, got ${describe(v)}`, [...path, name]);
      w.arrayHeader(items.length);
      items.forEach((item, i) => writeBlock(w, nested.block, item, [...path, name, i]));
    }
  }
}

/** Encodes a schema block value (state, plan) as msgpack; null encodes the null object. */
export function encodeBlock(schema: BlockSchema, value: TfObject | null | undefined): Buffer {
  const w = new MsgpackWriter();
  writeBlock(w, schema, value, []);
  return w.finish();
}

/** Encodes a value of any type as msgpack. */
export function encodeValue(type: AnyCtyType, value: TfValue): Buffer {
  const w = new MsgpackWriter();
  writeTyped(w, type, value, []);
  return w.finish();
}
