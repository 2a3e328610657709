import { UNKNOWN, type BlockSchema, type CtyType, type TfValue } from '../../../src/provider/framework';
import { blockFromJson, decodeBlock, decodeValue, encodeBlock, encodeValue, CtyCodecError, type AnyCtyType } from '../../../src/provider/plugin/cty-codec';
import { decodeMsgpack, MsgpackExt } from '../../../src/provider/plugin/msgpack';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
/** msgpack str8 of a text, as hex. */
const str8 = (s: string): string => `d9${Buffer.from([Buffer.byteLength(s)]).toString('hex')}${Buffer.from(s).toString('hex')}`;
/** msgpack bin8 of a text, as hex. */
const bin8 = (s: string): string => `c4${Buffer.from([Buffer.byteLength(s)]).toString('hex')}${Buffer.from(s).toString('hex')}`;

describe('cty msgpack decoding', () => {
  const cases: { reason: string; type: AnyCtyType; bytes: string; want: TfValue }[] = [
    { reason: 'null of any type is null', type: 'string', bytes: 'c0', want: null },
    { reason: 'ext 0 is the plain unknown', type: 'string', bytes: 'd40000', want: UNKNOWN },
    { reason: 'ext 12 is a refined unknown (payload is a map) and still unknown', type: 'string', bytes: 'c7030c810102', want: UNKNOWN },
    { reason: 'any other extension type is unknown too', type: ['list', 'string'], bytes: 'd50700ff', want: UNKNOWN },
    { reason: 'strings are str', type: 'string', bytes: 'a3616263', want: 'abc' },
    { reason: 'small ints', type: 'number', bytes: '2a', want: 42 },
    { reason: 'negative fixint', type: 'number', bytes: 'ff', want: -1 },
    { reason: 'int64 within the safe range is a number', type: 'number', bytes: 'd3000000000000ffff', want: 65535 },
    { reason: 'uint64 beyond 2^53 keeps every digit as a string', type: 'number', bytes: 'cf0020000000000001', want: '9007199254740993' },
    { reason: 'float64', type: 'number', bytes: 'cb3ff8000000000000', want: 1.5 },
    { reason: 'numbers may arrive as strings; exact ones become numbers', type: 'number', bytes: 'a3313233', want: 123 },
    { reason: 'big numbers arrive as strings and stay strings', type: 'number', bytes: str8('123456789012345678901'), want: '123456789012345678901' },
    { reason: 'bools', type: 'bool', bytes: 'c3', want: true },
    { reason: 'an empty set is not null', type: ['set', 'string'], bytes: '90', want: [] },
    { reason: 'sets keep the order Terraform sent', type: ['set', 'string'], bytes: '92a161a162', want: ['a', 'b'] },
    { reason: 'a set element may be unknown', type: ['set', 'string'], bytes: '92a161d40000', want: ['a', UNKNOWN] },
    { reason: 'maps become objects', type: ['map', 'number'], bytes: '82a16101a16202', want: { a: 1, b: 2 } },
    { reason: 'a "__proto__" map key is an ordinary key', type: ['map', 'number'], bytes: '81a95f5f70726f746f5f5f01', want: JSON.parse('{"__proto__":1}') },
    {
      reason: 'objects get every attribute, absent ones null',
      type: ['object', { a: 'string', b: 'number' }],
      bytes: '81a161a178',
      want: { a: 'x', b: null },
    },
    {
      reason: 'dynamic values carry their type as JSON bytes',
      type: 'dynamic',
      bytes: `92${bin8('["list","string"]')}91a178`,
      want: ['x'],
    },
    { reason: 'a wholly unknown dynamic value is an extension', type: 'dynamic', bytes: 'd40000', want: UNKNOWN },
    { reason: 'a null dynamic value is nil', type: 'dynamic', bytes: 'c0', want: null },
  ];
  test.each(cases)('$reason', ({ type, bytes, want }) => {
    expect(decodeValue(type, hex(bytes))).toEqual(want);
  });
});

describe('cty msgpack encoding', () => {
  const cases: { reason: string; type: AnyCtyType; value: TfValue; bytes: string }[] = [
    { reason: 'unknown is ext 0', type: 'string', value: UNKNOWN, bytes: 'd40000' },
    { reason: 'null is nil', type: ['set', 'string'], value: null, bytes: 'c0' },
    { reason: 'an empty set stays an empty set', type: ['set', 'string'], value: [], bytes: '90' },
    // Terraform parses a msgpack string number like the JSON of stored state; a msgpack int would be
    // a different in-memory number and make refresh-only plans over unchanged objects applyable.
    { reason: 'integers are decimal text, as in stored state', type: 'number', value: 300, bytes: 'a3333030' },
    { reason: 'negative integers are decimal text', type: 'number', value: -200, bytes: 'a42d323030' },
    { reason: 'fractions are decimal text, not float64', type: 'number', value: 0.5, bytes: 'a3302e35' },
    { reason: 'large magnitudes keep their exponent text', type: 'number', value: 1e21, bytes: 'a5' + Buffer.from('1e+21').toString('hex') },
    { reason: 'bigints are decimal text', type: 'number', value: 9007199254740993n as unknown as TfValue, bytes: 'b0' + Buffer.from('9007199254740993').toString('hex') },
    { reason: 'integer strings beyond 2^53 stay exact text', type: 'number', value: '9007199254740993', bytes: 'b0' + Buffer.from('9007199254740993').toString('hex') },
    { reason: 'numbers beyond int64 stay strings', type: 'number', value: '123456789012345678901234', bytes: 'b8' + Buffer.from('123456789012345678901234').toString('hex') },
    { reason: 'map keys are sorted', type: ['map', 'bool'], value: { b: true, a: false }, bytes: '82a161c2a162c3' },
    { reason: 'object attributes are sorted and absent ones are null', type: ['object', { b: 'string', a: 'string' }], value: { b: 'x' }, bytes: '82a161c0a162a178' },
    { reason: 'numbers given for a string attribute become strings', type: 'string', value: 7, bytes: 'a137' },
  ];
  test.each(cases)('$reason', ({ type, value, bytes }) => {
    expect(encodeValue(type, value).toString('hex')).toBe(bytes);
  });

  test('a dynamic value is encoded as [type JSON bytes, value] with the type inferred', () => {
    const bytes = encodeValue('dynamic', { n: 1, s: ['a'] });
    const raw = decodeMsgpack(bytes) as [Uint8Array, unknown];
    expect(JSON.parse(Buffer.from(raw[0]).toString())).toEqual(['object', { n: 'number', s: ['tuple', ['string']] }]);
    expect(decodeValue('dynamic', bytes)).toEqual({ n: 1, s: ['a'] });
  });

  test('a value of the wrong type fails naming the path', () => {
    expect(() => encodeValue(['list', ['object', { n: 'number' }]] as CtyType, [{ n: 1 }, { n: 'many' }])).toThrow(CtyCodecError);
    expect(() => encodeValue(['list', ['object', { n: 'number' }]] as CtyType, [{ n: 1 }, { n: 'many' }])).toThrow('[1].n: expected a number');
  });
});

const schema: BlockSchema = {
  description: 't',
  attributes: {
    id: { type: 'string', description: '', computed: true },
    tags: { type: ['set', 'string'], description: '', optional: true },
    size: { type: 'number', description: '', optional: true },
    extra: { type: 'dynamic', description: '', optional: true },
  },
  blocks: {
    rule: { nesting: 'list', block: { description: '', attributes: { name: { type: 'string', description: '', required: true } } } },
    opts: { nesting: 'single', block: { description: '', attributes: { on: { type: 'bool', description: '', optional: true } } } },
    grp: { nesting: 'set', block: { description: '', attributes: { k: { type: 'string', description: '', optional: true } } } },
  },
};

describe('schema block round trips', () => {
  const cases: { reason: string; value: Record<string, TfValue>; want?: Record<string, TfValue> }[] = [
    {
      reason: 'a full object round-trips, nested blocks included',
      value: { id: 'x', tags: ['a', 'b'], size: 3, extra: 'e', rule: [{ name: 'r' }], opts: { on: true }, grp: [{ k: 'v' }] },
    },
    {
      reason: 'absent attributes become null and absent list/set blocks become empty',
      value: { id: 'x' },
      want: { id: 'x', tags: null, size: null, extra: null, rule: [], opts: null, grp: [] },
    },
    {
      reason: 'unknown values survive anywhere, including a whole block list',
      value: { id: UNKNOWN, tags: [UNKNOWN], size: null, extra: UNKNOWN, rule: UNKNOWN, opts: { on: UNKNOWN }, grp: [] },
    },
    {
      reason: 'null and empty set stay different',
      value: { id: null, tags: [], size: null, extra: null, rule: [], opts: null, grp: [] },
    },
  ];
  test.each(cases)('$reason', ({ value, want }) => {
    expect(decodeBlock(schema, encodeBlock(schema, value))).toEqual(want ?? value);
  });

  test('a null object encodes as nil and decodes as null', () => {
    expect(encodeBlock(schema, null).toString('hex')).toBe('c0');
    expect(decodeBlock(schema, encodeBlock(schema, null))).toBeNull();
  });

  test('an empty DynamicValue decodes as null', () => {
    expect(decodeBlock(schema, Buffer.alloc(0))).toBeNull();
  });

  test('stored JSON state decodes with the schema: dynamic as {value, type}, unknown attributes dropped', () => {
    const json = { id: 'x', tags: ['a'], size: 2, extra: { value: ['q'], type: ['list', 'string'] }, removed_attr: 1, rule: [{ name: 'r' }], opts: null, grp: [] };
    expect(blockFromJson(schema, json)).toEqual({ id: 'x', tags: ['a'], size: 2, extra: ['q'], rule: [{ name: 'r' }], opts: null, grp: [] });
  });
});

describe('msgpack reader', () => {
  test('extension types decode to MsgpackExt with their type and payload', () => {
    const v = decodeMsgpack(hex('c7030c810102'));
    expect(v).toBeInstanceOf(MsgpackExt);
    expect((v as MsgpackExt).type).toBe(12);
  });
  test('truncated input is an error, not a partial value', () => {
    expect(() => decodeMsgpack(hex('92a161'))).toThrow('truncated');
  });
  test('trailing bytes are an error', () => {
    expect(() => decodeMsgpack(hex('c0c0'))).toThrow('trailing');
  });
});
