import { decodeMessage, encodeMessage, f, type MessageSpec } from '../../../src/provider/plugin/protobuf-wire';
import { RPC, Schema } from '../../../src/provider/plugin/tfplugin6-messages';

const Inner: MessageSpec = { name: f.string(1), n: f.int64(2) };
const Outer: MessageSpec = {
  s: f.string(1),
  b: f.bytes(2),
  flag: f.bool(3),
  big: f.int64(4),
  inner: f.msg(5, () => Inner),
  list: f.repeated(6, () => Inner),
  byName: f.map(7, () => Inner),
};

describe('protobuf wire codec', () => {
  const cases: { reason: string; msg: Record<string, unknown>; hex: string }[] = [
    { reason: 'defaults are omitted (proto3)', msg: { s: '', flag: false, big: 0 }, hex: '' },
    { reason: 'a string is tag 0x0a, length, bytes', msg: { s: 'hi' }, hex: '0a026869' },
    { reason: 'a bool is a varint', msg: { flag: true }, hex: '1801' },
    { reason: 'multi-byte varints', msg: { big: 300 }, hex: '20ac02' },
    { reason: 'negative int64 takes ten bytes', msg: { big: -1 }, hex: '20ffffffffffffffffff01' },
    { reason: 'an empty embedded message is still present', msg: { inner: {} }, hex: '2a00' },
    { reason: 'map entries are key=1/value=2 messages', msg: { byName: { k: { n: 1 } } }, hex: '3a070a016b12021001' },
  ];
  test.each(cases)('$reason', ({ msg, hex }) => {
    expect(encodeMessage(Outer, msg).toString('hex')).toBe(hex);
  });

  test('decoding restores every field and leaves absent scalars undefined', () => {
    const msg = { s: 'x', b: Buffer.from([1, 2]), flag: true, big: -5, inner: { name: 'i', n: 3 }, list: [{ name: 'a' }, { name: 'b' }], byName: { k: { name: 'v' } } };
    const back = decodeMessage(Outer, encodeMessage(Outer, msg));
    expect(back).toEqual({ ...msg, inner: { name: 'i', n: 3, }, list: [{ name: 'a' }, { name: 'b' }], byName: { k: { name: 'v' } } });
    expect(decodeMessage(Outer, Buffer.alloc(0))).toEqual({ list: [], byName: {} });
  });

  test('unknown fields of every wire type are skipped', () => {
    // field 9 varint, field 10 fixed64, field 11 bytes, field 12 fixed32, then s="ok"
    const bytes = Buffer.from('4805' + '510102030405060708' + '5a0161' + '6501020304' + '0a026f6b', 'hex');
    expect(decodeMessage(Outer, bytes).s).toBe('ok');
  });

  test('truncated input is an error', () => {
    expect(() => decodeMessage(Outer, Buffer.from('0a0568', 'hex'))).toThrow('truncated');
  });

  test('a schema response keeps the nested block recursion', () => {
    const schema = { version: 2, block: { attributes: [{ name: 'a', type: Buffer.from('"string"'), required: true }], block_types: [{ type_name: 'b', nesting: 2, block: { attributes: [] } }] } };
    const back = decodeMessage(Schema, encodeMessage(Schema, schema)) as any;
    expect(back.version).toBe(2);
    expect(back.block.attributes[0].name).toBe('a');
    expect(back.block.block_types[0].block.attributes).toEqual([]);
  });

  test('every tfplugin6 RPC has request and response tables', () => {
    for (const name of ['GetMetadata', 'GetProviderSchema', 'ValidateProviderConfig', 'ValidateResourceConfig', 'ValidateDataResourceConfig', 'UpgradeResourceState', 'ConfigureProvider', 'ReadResource', 'PlanResourceChange', 'ApplyResourceChange', 'ImportResourceState', 'MoveResourceState', 'ReadDataSource', 'ValidateEphemeralResourceConfig', 'OpenEphemeralResource', 'RenewEphemeralResource', 'CloseEphemeralResource', 'GetFunctions', 'CallFunction', 'StopProvider']) {
      expect(RPC[name]).toBeDefined();
    }
  });
});
