/**
 * A small msgpack reader and writer with exactly what cty's msgpack encoding needs: 64-bit integers
 * beyond the safe range decode as bigint, every extension type decodes to {@link MsgpackExt}, maps
 * decode to `Map` (keys are never merged into an object prototype).
 */

/** An extension value (cty uses these for unknown values). */
export class MsgpackExt {
  constructor(
    readonly type: number,
    readonly data: Uint8Array,
  ) {}
}

/** A decoded msgpack value. */
export type MsgpackValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | MsgpackValue[]
  | Map<MsgpackValue, MsgpackValue>
  | MsgpackExt;

/** Writes msgpack into a growing buffer. */
export class MsgpackWriter {
  private buf = Buffer.allocUnsafe(512);
  private pos = 0;

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  private byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  nil(): void {
    this.byte(0xc0);
  }

  bool(v: boolean): void {
    this.byte(v ? 0xc3 : 0xc2);
  }

  /** An integer (safe JS integer or bigint within the int64/uint64 range). */
  int(v: number | bigint): void {
    const n = typeof v === 'bigint' ? v : BigInt(v);
    this.ensure(9);
    if (n >= 0n) {
      if (n < 128n) this.buf[this.pos++] = Number(n);
      else if (n < 0x100n) {
        this.buf[this.pos++] = 0xcc;
        this.buf[this.pos++] = Number(n);
      } else if (n < 0x10000n) {
        this.buf[this.pos++] = 0xcd;
        this.pos = this.buf.writeUInt16BE(Number(n), this.pos);
      } else if (n < 0x100000000n) {
        this.buf[this.pos++] = 0xce;
        this.pos = this.buf.writeUInt32BE(Number(n), this.pos);
      } else if (n <= 0x7fffffffffffffffn) {
        // cty decodes integers with DecodeInt64; int64 is always accepted.
        this.buf[this.pos++] = 0xd3;
        this.pos = this.buf.writeBigInt64BE(n, this.pos);
      } else {
        this.buf[this.pos++] = 0xcf;
        this.pos = this.buf.writeBigUInt64BE(n, this.pos);
      }
    } else if (n >= -32n) {
      this.buf[this.pos++] = Number(n) & 0xff;
    } else if (n >= -128n) {
      this.buf[this.pos++] = 0xd0;
      this.pos = this.buf.writeInt8(Number(n), this.pos);
    } else if (n >= -32768n) {
      this.buf[this.pos++] = 0xd1;
      this.pos = this.buf.writeInt16BE(Number(n), this.pos);
    } else if (n >= -2147483648n) {
      this.buf[this.pos++] = 0xd2;
      this.pos = this.buf.writeInt32BE(Number(n), this.pos);
    } else {
      this.buf[this.pos++] = 0xd3;
      this.pos = this.buf.writeBigInt64BE(n, this.pos);
    }
  }

  float64(v: number): void {
    this.ensure(9);
    this.buf[this.pos++] = 0xcb;
    this.pos = this.buf.writeDoubleBE(v, this.pos);
  }

  str(s: string): void {
    const len = Buffer.byteLength(s, 'utf8');
    this.ensure(len + 5);
    if (len < 32) this.buf[this.pos++] = 0xa0 | len;
    else if (len < 0x100) {
      this.buf[this.pos++] = 0xd9;
      this.buf[this.pos++] = len;
    } else if (len < 0x10000) {
      this.buf[this.pos++] = 0xda;
      this.pos = this.buf.writeUInt16BE(len, this.pos);
    } else {
      this.buf[this.pos++] = 0xdb;
      this.pos = this.buf.writeUInt32BE(len, this.pos);
    }
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  bin(b: Uint8Array): void {
    const len = b.length;
    this.ensure(len + 5);
    if (len < 0x100) {
      this.buf[this.pos++] = 0xc4;
      this.buf[this.pos++] = len;
    } else if (len < 0x10000) {
      this.buf[this.pos++] = 0xc5;
      this.pos = this.buf.writeUInt16BE(len, this.pos);
    } else {
      this.buf[this.pos++] = 0xc6;
      this.pos = this.buf.writeUInt32BE(len, this.pos);
    }
    this.buf.set(b, this.pos);
    this.pos += len;
  }

  private header(len: number, fix: number, fixMax: number, c16: number, c32: number): void {
    this.ensure(5);
    if (len < fixMax) this.buf[this.pos++] = fix | len;
    else if (len < 0x10000) {
      this.buf[this.pos++] = c16;
      this.pos = this.buf.writeUInt16BE(len, this.pos);
    } else {
      this.buf[this.pos++] = c32;
      this.pos = this.buf.writeUInt32BE(len, this.pos);
    }
  }

  arrayHeader(len: number): void {
    this.header(len, 0x90, 16, 0xdc, 0xdd);
  }

  mapHeader(len: number): void {
    this.header(len, 0x80, 16, 0xde, 0xdf);
  }

  /** The cty unknown value: extension type 0 with a single zero byte. */
  unknown(): void {
    this.ensure(3);
    this.buf[this.pos++] = 0xd4;
    this.buf[this.pos++] = 0;
    this.buf[this.pos++] = 0;
  }

  finish(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }
}

/** Decodes one msgpack value; throws on truncated or trailing input. */
export function decodeMsgpack(input: Uint8Array): MsgpackValue {
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  let pos = 0;
  const need = (n: number): void => {
    if (pos + n > buf.length) throw new Error('msgpack: truncated input');
  };
  const bytes = (n: number): Uint8Array => {
    need(n);
    const out = buf.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  const str = (n: number): string => Buffer.from(bytes(n)).toString('utf8');
  const u64 = (v: bigint): number | bigint => (v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
  const i64 = (v: bigint): number | bigint =>
    v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;

  const read = (): MsgpackValue => {
    need(1);
    const c = buf[pos++];
    if (c < 0x80) return c;
    if (c >= 0xe0) return c - 0x100;
    if ((c & 0xe0) === 0xa0) return str(c & 0x1f);
    if ((c & 0xf0) === 0x90) return array(c & 0x0f);
    if ((c & 0xf0) === 0x80) return map(c & 0x0f);
    let v: number;
    switch (c) {
      case 0xc0:
        return null;
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xc4:
        need(1);
        return Buffer.from(bytes(buf[pos++]));
      case 0xc5:
        need(2);
        v = buf.readUInt16BE(pos);
        pos += 2;
        return Buffer.from(bytes(v));
      case 0xc6:
        need(4);
        v = buf.readUInt32BE(pos);
        pos += 4;
        return Buffer.from(bytes(v));
      case 0xc7:
      case 0xc8:
      case 0xc9: {
        const lenBytes = c === 0xc7 ? 1 : c === 0xc8 ? 2 : 4;
        need(lenBytes + 1);
        const len = lenBytes === 1 ? buf[pos] : lenBytes === 2 ? buf.readUInt16BE(pos) : buf.readUInt32BE(pos);
        pos += lenBytes;
        const type = buf.readInt8(pos++);
        return new MsgpackExt(type, bytes(len));
      }
      case 0xca:
        need(4);
        pos += 4;
        return buf.readFloatBE(pos - 4);
      case 0xcb:
        need(8);
        pos += 8;
        return buf.readDoubleBE(pos - 8);
      case 0xcc:
        need(1);
        return buf[pos++];
      case 0xcd:
        need(2);
        pos += 2;
        return buf.readUInt16BE(pos - 2);
      case 0xce:
        need(4);
        pos += 4;
        return buf.readUInt32BE(pos - 4);
      case 0xcf:
        need(8);
        pos += 8;
        return u64(buf.readBigUInt64BE(pos - 8));
      case 0xd0:
        need(1);
        return buf.readInt8(pos++);
      case 0xd1:
        need(2);
        pos += 2;
        return buf.readInt16BE(pos - 2);
      case 0xd2:
        need(4);
        pos += 4;
        return buf.readInt32BE(pos - 4);
      case 0xd3:
        need(8);
        pos += 8;
        return i64(buf.readBigInt64BE(pos - 8));
      case 0xd4:
      case 0xd5:
      case 0xd6:
      case 0xd7:
      case 0xd8: {
        const len = 1 << (c - 0xd4);
        need(1);
        const type = buf.readInt8(pos++);
        return new MsgpackExt(type, bytes(len));
      }
      case 0xd9:
        need(1);
        return str(buf[pos++]);
      case 0xda:
        need(2);
        pos += 2;
        return str(buf.readUInt16BE(pos - 2));
      case 0xdb:
        need(4);
        pos += 4;
        return str(buf.readUInt32BE(pos - 4));
      case 0xdc:
        need(2);
        pos += 2;
        return array(buf.readUInt16BE(pos - 2));
      case 0xdd:
        need(4);
        pos += 4;
        return array(buf.readUInt32BE(pos - 4));
      case 0xde:
        need(2);
        pos += 2;
        return map(buf.readUInt16BE(pos - 2));
      case 0xdf:
        need(4);
        pos += 4;
        return map(buf.readUInt32BE(pos - 4));
      default:
        throw new Error(`msgpack: unsupported byte 0x${c.toString(16)}`);
    }
  };
  const array = (n: number): MsgpackValue[] => {
    const out: MsgpackValue[] = [];
    for (let i = 0; i < n; i++) out.push(read());
    return out;
  };
  const map = (n: number): Map<MsgpackValue, MsgpackValue> => {
    const out = new Map<MsgpackValue, MsgpackValue>();
    for (let i = 0; i < n; i++) {
      const k = read();
      out.set(k, read());
    }
    return out;
  };
  const value = read();
  if (pos !== buf.length) throw new Error('msgpack: trailing bytes after the value');
  return value;
}
