/**
 * A minimal protobuf (proto3) wire codec driven by small field tables, so the plugin needs neither
 * generated code nor a reflection library at start-up. Only the wire types tfplugin6 uses are supported:
 * varint (int64, bool, enum), length-delimited (string, bytes, messages, maps, packed repeats are never
 * sent by Terraform for the fields we read).
 */

/** The scalar kinds a field can have. */
export type ScalarKind = 'string' | 'bytes' | 'bool' | 'int64' | 'enum';

/** One field of a message: its number, kind and whether it repeats. Message kinds are lazy for recursion. */
export interface FieldSpec {
  readonly no: number;
  readonly kind: ScalarKind | (() => MessageSpec);
  readonly repeated?: boolean;
  /** For `map<string, V>` fields: the value kind (the key is always a string). */
  readonly mapValue?: ScalarKind | (() => MessageSpec);
}

/** A message: field name to field spec. */
export type MessageSpec = { readonly [name: string]: FieldSpec };

/** A decoded or to-be-encoded message: plain object keyed by field name. */
export type ProtoMessage = { [name: string]: unknown };

/** Shorthand builders for field specs. */
export const f = {
  string: (no: number): FieldSpec => ({ no, kind: 'string' }),
  bytes: (no: number): FieldSpec => ({ no, kind: 'bytes' }),
  bool: (no: number): FieldSpec => ({ no, kind: 'bool' }),
  int64: (no: number): FieldSpec => ({ no, kind: 'int64' }),
  enum: (no: number): FieldSpec => ({ no, kind: 'enum' }),
  msg: (no: number, spec: () => MessageSpec): FieldSpec => ({ no, kind: spec }),
  repeated: (no: number, kind: ScalarKind | (() => MessageSpec)): FieldSpec => ({ no, kind, repeated: true }),
  map: (no: number, value: ScalarKind | (() => MessageSpec)): FieldSpec => ({ no, kind: 'bytes', repeated: true, mapValue: value }),
};

class Writer {
  private chunks: Uint8Array[] = [];
  private buf = new Uint8Array(256);
  private pos = 0;

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.chunks.push(this.buf.subarray(0, this.pos));
    this.buf = new Uint8Array(Math.max(256, n));
    this.pos = 0;
  }

  varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    if (v < 0x80n) {
      this.ensure(1);
      this.buf[this.pos++] = Number(v);
      return;
    }
    this.ensure(10);
    while (v >= 0x80n) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
  }

  raw(bytes: Uint8Array): void {
    this.varint(bytes.length);
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  finish(): Buffer {
    this.chunks.push(this.buf.subarray(0, this.pos));
    return Buffer.concat(this.chunks);
  }
}

function encodeScalar(w: Writer, no: number, kind: ScalarKind, value: unknown): void {
  switch (kind) {
    case 'string':
      w.varint((no << 3) | 2);
      w.raw(Buffer.from(String(value), 'utf8'));
      return;
    case 'bytes':
      w.varint((no << 3) | 2);
      w.raw(value as Uint8Array);
      return;
    case 'bool':
      w.varint(no << 3);
      w.varint(value ? 1 : 0);
      return;
    case 'int64':
    case 'enum':
      w.varint(no << 3);
      w.varint(value as number);
      return;
  }
}

function isDefault(kind: ScalarKind, value: unknown): boolean {
  if (value === undefined || value === null) return true;
  switch (kind) {
    case 'string':
      return value === '';
    case 'bytes':
      return (value as Uint8Array).length === 0;
    case 'bool':
      return value === false;
    default:
      return value === 0;
  }
}

function encodeField(w: Writer, spec: FieldSpec, value: unknown): void {
  if (typeof spec.kind === 'function') {
    w.varint((spec.no << 3) | 2);
    w.raw(encodeMessage(spec.kind(), value as ProtoMessage));
  } else {
    encodeScalar(w, spec.no, spec.kind, value);
  }
}

/** Encodes a message; fields at their proto3 default are omitted, as protobuf does. */
export function encodeMessage(spec: MessageSpec, msg: ProtoMessage): Buffer {
  const w = new Writer();
  for (const [name, field] of Object.entries(spec)) {
    const value = msg[name];
    if (value === undefined || value === null) continue;
    if (field.mapValue !== undefined) {
      const entrySpec: MessageSpec = {
        key: f.string(1),
        value: { no: 2, kind: field.mapValue },
      };
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        w.varint((field.no << 3) | 2);
        w.raw(encodeMessage(entrySpec, { key: k, value: v }));
      }
    } else if (field.repeated) {
      for (const item of value as unknown[]) encodeField(w, field, item);
    } else if (typeof field.kind === 'function' || !isDefault(field.kind, value)) {
      encodeField(w, field, value);
    }
  }
  return w.finish();
}

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('protobuf: truncated varint');
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return result;
      shift += 7n;
    }
  }

  smallVarint(): number {
    // Tags and lengths fit in 32 bits; the fast path avoids BigInt.
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('protobuf: truncated varint');
      const b = this.buf[this.pos++];
      if (shift < 28) result |= (b & 0x7f) << shift;
      else result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
      shift += 7;
    }
  }

  bytes(): Uint8Array {
    const len = this.smallVarint();
    if (this.pos + len > this.buf.length) throw new Error('protobuf: truncated field');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.pos += 8;
        return;
      case 2:
        this.bytes();
        return;
      case 5:
        this.pos += 4;
        return;
      default:
        throw new Error(`protobuf: unsupported wire type ${wireType}`);
    }
  }
}

function decodeScalar(r: Reader, kind: ScalarKind, wireType: number): unknown {
  switch (kind) {
    case 'string':
      return Buffer.from(r.bytes()).toString('utf8');
    case 'bytes':
      return Buffer.from(r.bytes());
    case 'bool':
      return r.varint() !== 0n;
    case 'int64':
    case 'enum': {
      if (wireType !== 0) throw new Error('protobuf: expected a varint');
      return Number(BigInt.asIntN(64, r.varint()));
    }
  }
}

function decodeValue(r: Reader, kind: ScalarKind | (() => MessageSpec), wireType: number): unknown {
  if (typeof kind === 'function') return decodeMessage(kind(), r.bytes());
  return decodeScalar(r, kind, wireType);
}

/** Decodes a message; absent fields are undefined (repeated and map fields are always present, possibly empty). */
export function decodeMessage(spec: MessageSpec, buf: Uint8Array): ProtoMessage {
  const byNo = new Map<number, [string, FieldSpec]>();
  const out: ProtoMessage = {};
  for (const [name, field] of Object.entries(spec)) {
    byNo.set(field.no, [name, field]);
    if (field.mapValue !== undefined) out[name] = {};
    else if (field.repeated) out[name] = [];
  }
  const r = new Reader(buf);
  while (r.pos < buf.length) {
    const tag = r.smallVarint();
    const no = Math.floor(tag / 8);
    const wireType = tag & 7;
    const entry = byNo.get(no);
    if (!entry) {
      r.skip(wireType);
      continue;
    }
    const [name, field] = entry;
    if (field.mapValue !== undefined) {
      const e = decodeMessage({ key: f.string(1), value: { no: 2, kind: field.mapValue } }, r.bytes());
      (out[name] as Record<string, unknown>)[String(e.key ?? '')] = e.value;
    } else if (field.repeated) {
      (out[name] as unknown[]).push(decodeValue(r, field.kind, wireType));
    } else {
      out[name] = decodeValue(r, field.kind, wireType);
    }
  }
  return out;
}
