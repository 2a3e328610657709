/**
 * The runtime's ephemeral-resource RPCs and write-only attributes on decoded messages, and their wire
 * form: field numbers checked against hand-written protobuf bytes, so a wrong number cannot pass by
 * round-tripping through the same table.
 */
import { DiagnosticError, UNKNOWN, type BlockSchema, type EphemeralResourceDefinition, type ProviderDefinition, type ResourceDefinition, type TfObject } from '../../../src/provider/framework';
import { decodeBlock, encodeBlock } from '../../../src/provider/plugin/cty-codec';
import { toTimestamp } from '../../../src/provider/plugin/ephemeral-service';
import { createLogger } from '../../../src/provider/plugin/logger';
import { ProviderService } from '../../../src/provider/plugin/provider-service';
import { decodeMessage, encodeMessage } from '../../../src/provider/plugin/protobuf-wire';
import { RPC, SchemaAttribute } from '../../../src/provider/plugin/tfplugin6-messages';
import { nullWriteOnly, writeOnlyPathsSet, writeOnlySchemaProblems } from '../../../src/provider/plugin/write-only';

const SECRET = 'wo-secret-value-never-stored';

const schema: BlockSchema = {
  description: 'a database user',
  attributes: {
    id: { type: 'string', description: '', computed: true },
    name: { type: 'string', description: '', required: true },
    password_wo: { type: 'string', description: '', optional: true, writeOnly: true, sensitive: true },
    password_wo_version: { type: 'number', description: '', optional: true },
  },
  blocks: {
    extra: {
      nesting: 'list',
      block: { description: '', attributes: { label: { type: 'string', description: '', optional: true }, pin_wo: { type: 'string', description: '', optional: true, writeOnly: true } } },
    },
  },
};

const obj = (v: Partial<TfObject>): TfObject => ({ id: null, name: null, password_wo: null, password_wo_version: null, extra: [], ...v });
const dv = (v: TfObject | null) => ({ msgpack: encodeBlock(schema, v) });
/** The Date of a protobuf Timestamp, as Terraform reads it. */
function fromTimestamp(ts: { seconds?: unknown; nanos?: unknown } | undefined): Date | undefined {
  if (!ts) return undefined;
  return new Date(Number(ts.seconds ?? 0) * 1000 + Math.floor(Number(ts.nanos ?? 0) / 1_000_000));
}

const back = (m: unknown) => decodeBlock(schema, (m as { msgpack: Buffer }).msgpack);
const CAPS_OK = { write_only_attributes_allowed: true };

/** A resource that (wrongly) echoes every config value into its state, write-only ones included. */
function leakyResource(seen: TfObject[] = []): ResourceDefinition<unknown> {
  return {
    schema,
    version: 0,
    modifyPlan: async ({ config }) => ({ planned: { ...config, id: UNKNOWN } }),
    create: async ({ config }) => {
      seen.push(config);
      return { state: { ...config, id: 'u-1' } };
    },
    read: async ({ state }) => ({ state: { ...state, password_wo: SECRET } }),
    update: async ({ config }) => ({ state: { ...config, id: 'u-1' } }),
    delete: async () => undefined,
    import: async ({ id }) => obj({ id, name: 'n', password_wo: SECRET }),
  };
}

function service(resources: Record<string, ResourceDefinition<unknown>>, ephemeralResources: Record<string, EphemeralResourceDefinition<unknown>> = {}, log: string[] = []) {
  const def: ProviderDefinition<unknown> = {
    schema: { description: 'p', attributes: {} },
    configure: async () => ({ configured: true }),
    resources,
    dataSources: {},
    ephemeralResources,
  };
  return new ProviderService(def, createLogger('test', 'trace', (l) => log.push(l)));
}

describe('wire format', () => {
  test('Schema.Attribute.write_only is field 11', () => {
    expect(encodeMessage(SchemaAttribute, { write_only: true }).toString('hex')).toBe('5801');
  });

  test('ClientCapabilities arrive as field 3 of ValidateResourceConfig and 7 of PlanResourceChange (write_only_attributes_allowed = 2)', () => {
    // field 3, length 2: { field 2 (varint) = 1 }
    expect(decodeMessage(RPC.ValidateResourceConfig.req, Buffer.from('1a021001', 'hex')).client_capabilities).toEqual({ write_only_attributes_allowed: true });
    expect(decodeMessage(RPC.PlanResourceChange.req, Buffer.from('3a021001', 'hex')).client_capabilities).toEqual({ write_only_attributes_allowed: true });
    expect(decodeMessage(RPC.ConfigureProvider.req, Buffer.from('1a020801', 'hex')).client_capabilities).toEqual({ deferral_allowed: true });
    expect(decodeMessage(RPC.ReadResource.req, Buffer.from('2a021001', 'hex')).client_capabilities).toEqual({ write_only_attributes_allowed: true });
    expect(decodeMessage(RPC.ReadDataSource.req, Buffer.from('22021001', 'hex')).client_capabilities).toEqual({ write_only_attributes_allowed: true });
    expect(decodeMessage(RPC.ImportResourceState.req, Buffer.from('1a021001', 'hex')).client_capabilities).toEqual({ write_only_attributes_allowed: true });
    expect(decodeMessage(RPC.OpenEphemeralResource.req, Buffer.from('1a021001', 'hex')).client_capabilities).toEqual({ write_only_attributes_allowed: true });
  });

  test('GetMetadata lists ephemeral resources in field 6, GetProviderSchema their schemas in map field 8', () => {
    expect(encodeMessage(RPC.GetMetadata.res, { ephemeral_resources: [{ type_name: 'x' }] }).toString('hex')).toBe('3203' + '0a0178');
    // map entry: key "x" (0a0178), value Schema{} (1200)
    expect(encodeMessage(RPC.GetProviderSchema.res, { ephemeral_resource_schemas: { x: {} } }).toString('hex')).toBe('4205' + '0a0178' + '1200');
  });

  test('OpenEphemeralResource: diagnostics 1, renew_at 2 (Timestamp seconds 1, nanos 2), result 3, private 4; Renew and Close read private from field 2', () => {
    const res = { renew_at: { seconds: 1700000000, nanos: 5_000_000 }, result: { msgpack: Buffer.from([0xc0]) }, private: Buffer.from('p') };
    const hex = encodeMessage(RPC.OpenEphemeralResource.res, res).toString('hex');
    expect(hex).toBe('120b' + '0880e2cfaa06' + '10c096b102' + '1a03' + '0a01c0' + '220170');
    expect(decodeMessage(RPC.OpenEphemeralResource.res, Buffer.from(hex, 'hex'))).toMatchObject(res);
    expect(decodeMessage(RPC.OpenEphemeralResource.req, Buffer.from('0a0178' + '1203' + '0a01c0', 'hex'))).toMatchObject({ type_name: 'x', config: { msgpack: Buffer.from([0xc0]) } });
    expect(decodeMessage(RPC.RenewEphemeralResource.req, Buffer.from('0a0178' + '120170', 'hex'))).toEqual({ type_name: 'x', private: Buffer.from('p') });
    expect(decodeMessage(RPC.CloseEphemeralResource.req, Buffer.from('0a0178' + '120170', 'hex'))).toEqual({ type_name: 'x', private: Buffer.from('p') });
    expect(encodeMessage(RPC.RenewEphemeralResource.res, { renew_at: { seconds: 1 }, private: Buffer.from('q') }).toString('hex')).toBe('12020801' + '1a0171');
  });

  test('timestamps keep milliseconds both ways', () => {
    const at = new Date('2030-01-02T03:04:05.678Z');
    expect(toTimestamp(at)).toEqual({ seconds: Math.floor(at.getTime() / 1000), nanos: 678_000_000 });
    expect(fromTimestamp(toTimestamp(at))).toEqual(at);
  });
});

describe('write-only helpers', () => {
  test('nullWriteOnly nulls write-only attributes at every depth and leaves the rest', () => {
    const v = obj({ id: 'u', name: 'n', password_wo: SECRET, password_wo_version: 2, extra: [{ label: 'a', pin_wo: '1234' }] });
    expect(nullWriteOnly(schema, v)).toEqual(obj({ id: 'u', name: 'n', password_wo: null, password_wo_version: 2, extra: [{ label: 'a', pin_wo: null }] }));
    expect(v.password_wo).toBe(SECRET);
  });

  test('writeOnlyPathsSet names set (and unknown) write-only values only', () => {
    expect(writeOnlyPathsSet(schema, obj({ name: 'n' }))).toEqual([]);
    expect(writeOnlyPathsSet(schema, obj({ password_wo: UNKNOWN, extra: [{ label: null, pin_wo: 'x' }] }))).toEqual([['password_wo'], ['extra', 0, 'pin_wo']]);
  });

  const problems: { reason: string; schema: BlockSchema; expected: string[] }[] = [
    { reason: 'optional write-only attributes are allowed', schema, expected: [] },
    { reason: 'a computed write-only attribute is refused', schema: { description: '', attributes: { s: { type: 'string', description: '', optional: true, computed: true, writeOnly: true } } }, expected: ['s'] },
    {
      reason: 'a write-only attribute inside a set block is refused',
      schema: { description: '', attributes: {}, blocks: { b: { nesting: 'set', block: { description: '', attributes: { s: { type: 'string', description: '', optional: true, writeOnly: true } } } } } },
      expected: ['b.s'],
    },
  ];
  test.each(problems)('$reason', ({ schema: sc, expected }) => {
    expect(writeOnlySchemaProblems(sc).map((p) => p.path)).toEqual(expected);
  });
});

describe('write-only attributes through the Provider service', () => {
  const cfg = obj({ name: 'n', password_wo: SECRET, password_wo_version: 1, extra: [{ label: 'a', pin_wo: '1234' }] });

  test('the schema advertises write_only', async () => {
    const res = await service({ db_user: leakyResource() }).handle('GetProviderSchema', {});
    const attrs = (res.resource_schemas as Record<string, { block: { attributes: { name: string; write_only: boolean }[] } }>).db_user.block.attributes;
    expect(attrs.find((a) => a.name === 'password_wo')?.write_only).toBe(true);
    expect(attrs.find((a) => a.name === 'name')?.write_only).toBe(false);
    expect(res.diagnostics).toEqual([]);
  });

  test('a schema declaring a computed write-only attribute is reported by GetProviderSchema', async () => {
    const bad: ResourceDefinition<unknown> = { ...leakyResource(), schema: { description: '', attributes: { s: { type: 'string', description: '', computed: true, writeOnly: true } } } };
    const res = await service({ bad }).handle('GetProviderSchema', {});
    expect((res.diagnostics as { detail: string }[])[0].detail).toContain('KF-PLUGIN-015');
  });

  test('the value reaches create through the config, and plan, apply, read and import return it null whatever the resource returns', async () => {
    const seen: TfObject[] = [];
    const s = service({ db_user: leakyResource(seen) });
    const plan = await s.handle('PlanResourceChange', { type_name: 'db_user', prior_state: dv(null), proposed_new_state: dv({ ...cfg, password_wo: null }), config: dv(cfg), client_capabilities: CAPS_OK });
    expect(plan.diagnostics).toEqual([]);
    expect(back(plan.planned_state)).toMatchObject({ password_wo: null, password_wo_version: 1, extra: [{ label: 'a', pin_wo: null }] });
    const planned = back(plan.planned_state);
    const apply = await s.handle('ApplyResourceChange', { type_name: 'db_user', prior_state: dv(null), planned_state: dv(planned), config: dv(cfg) });
    expect(seen[0].password_wo).toBe(SECRET);
    expect(seen[0].extra).toEqual([{ label: 'a', pin_wo: '1234' }]);
    const state = back(apply.new_state);
    expect(state).toMatchObject({ id: 'u-1', password_wo: null, extra: [{ label: 'a', pin_wo: null }] });
    const read = await s.handle('ReadResource', { type_name: 'db_user', current_state: dv(state) });
    expect(back(read.new_state)?.password_wo).toBeNull();
    const imp = await s.handle('ImportResourceState', { type_name: 'db_user', id: 'u-9' });
    const imported = (imp.imported_resources as { state: unknown }[])[0].state;
    expect(back(imported)?.password_wo).toBeNull();
    const upgraded = await s.handle('UpgradeResourceState', { type_name: 'db_user', version: 0, raw_state: { json: Buffer.from(JSON.stringify({ ...state, password_wo: SECRET })) } });
    expect(back(upgraded.upgraded_state)?.password_wo).toBeNull();
    for (const m of [plan.planned_state, apply.new_state, read.new_state, imported, upgraded.upgraded_state]) {
      expect((m as { msgpack: Buffer }).msgpack.toString('latin1')).not.toContain(SECRET);
    }
  });

  test('a failed update returns the prior state with write-only values null', async () => {
    const failing: ResourceDefinition<unknown> = { ...leakyResource(), update: async () => { throw new Error('no'); } };
    const prior = obj({ id: 'u-1', name: 'n', password_wo: SECRET });
    const res = await service({ db_user: failing }).handle('ApplyResourceChange', { type_name: 'db_user', prior_state: dv(prior), planned_state: dv(prior), config: dv(prior) });
    expect(back(res.new_state)?.password_wo).toBeNull();
  });

  const refusals: { reason: string; caps: object | undefined; config: TfObject; refused: boolean }[] = [
    { reason: 'a client without capabilities (Terraform < 1.11) setting a write-only value is refused', caps: undefined, config: cfg, refused: true },
    { reason: 'a client that says write-only is not allowed is refused', caps: { deferral_allowed: true }, config: cfg, refused: true },
    { reason: 'a client that allows write-only is accepted', caps: CAPS_OK, config: cfg, refused: false },
    { reason: 'a config leaving write-only attributes null is accepted from any client', caps: undefined, config: obj({ name: 'n' }), refused: false },
  ];
  test.each(refusals)('$reason', async ({ caps, config, refused }) => {
    const s = service({ db_user: leakyResource() });
    const validate = await s.handle('ValidateResourceConfig', { type_name: 'db_user', config: dv(config), ...(caps ? { client_capabilities: caps } : {}) });
    const plan = await s.handle('PlanResourceChange', { type_name: 'db_user', prior_state: dv(null), proposed_new_state: dv(config), config: dv(config), ...(caps ? { client_capabilities: caps } : {}) });
    for (const res of [validate, plan]) {
      const diags = res.diagnostics as { summary: string; detail: string; attribute?: unknown }[];
      if (refused) {
        expect(diags[0]).toMatchObject({ severity: 1, summary: '"password_wo" is write-only, and this Terraform cannot handle write-only attributes', attribute: { steps: [{ attribute_name: 'password_wo' }] } });
        expect(diags[0].detail).toContain('KF-PLUGIN-006');
        expect(diags[1].summary).toContain('"extra[0].pin_wo"');
        expect(JSON.stringify(diags)).not.toContain(SECRET);
      } else expect(diags).toEqual([]);
    }
    if (refused) expect(plan.planned_state).toBeUndefined();
  });
});

describe('ephemeral resources through the Provider service', () => {
  const tokenSchema: BlockSchema = {
    description: 'a token',
    attributes: { audience: { type: 'string', description: '', required: true }, value: { type: 'string', description: '', computed: true, sensitive: true } },
  };
  const edv = (v: TfObject) => ({ msgpack: encodeBlock(tokenSchema, v) });
  const RENEW = new Date('2030-01-01T00:00:00.250Z');

  function tokens(calls: string[]): EphemeralResourceDefinition<unknown> {
    return {
      schema: tokenSchema,
      validate: (config) => (config.audience === 'evil' ? [{ severity: 'error', summary: 'bad audience', attribute: ['audience'] }] : []),
      open: async ({ config }, ctx) => {
        calls.push(`open:${String(config.audience)}:${JSON.stringify(ctx.provider)}:${ctx.clientCapabilities?.writeOnlyAttributesAllowed}`);
        if (config.audience === 'fail') throw new DiagnosticError([{ severity: 'error', summary: 'refused' }]);
        if (config.audience === 'half') return { result: { audience: 'half', value: UNKNOWN } };
        return { result: { audience: config.audience, value: 'tok-1' }, renewAt: RENEW, privateData: Buffer.from('lease-1') };
      },
      renew: async ({ privateData }) => {
        calls.push(`renew:${Buffer.from(privateData ?? []).toString()}`);
        return { renewAt: new Date(RENEW.getTime() + 1000), privateData: Buffer.from('lease-2') };
      },
      close: async ({ privateData }) => {
        calls.push(`close:${Buffer.from(privateData ?? []).toString()}`);
      },
    };
  }

  test('GetMetadata and GetProviderSchema advertise the ephemeral resource', async () => {
    const s = service({}, { test_token: tokens([]) });
    expect((await s.handle('GetMetadata', {})).ephemeral_resources).toEqual([{ type_name: 'test_token' }]);
    const schemas = (await s.handle('GetProviderSchema', {})).ephemeral_resource_schemas as Record<string, { block: { attributes: { name: string; sensitive: boolean }[] } }>;
    expect(schemas.test_token.block.attributes.find((a) => a.name === 'value')?.sensitive).toBe(true);
  });

  test('validate, open, renew and close reach the definition with the configured provider; private data and renew_at travel', async () => {
    const calls: string[] = [];
    const s = service({}, { test_token: tokens(calls) });
    await s.handle('ConfigureProvider', { config: { msgpack: encodeBlock({ description: '', attributes: {} }, {}) }, client_capabilities: CAPS_OK });
    const bad = await s.handle('ValidateEphemeralResourceConfig', { type_name: 'test_token', config: edv({ audience: 'evil', value: null }) });
    expect(bad.diagnostics).toEqual([{ severity: 1, summary: 'bad audience', attribute: { steps: [{ attribute_name: 'audience' }] } }]);
    const open = await s.handle('OpenEphemeralResource', { type_name: 'test_token', config: edv({ audience: 'api', value: null }), client_capabilities: CAPS_OK });
    expect(decodeBlock(tokenSchema, (open.result as { msgpack: Buffer }).msgpack)).toEqual({ audience: 'api', value: 'tok-1' });
    expect(fromTimestamp(open.renew_at as never)).toEqual(RENEW);
    expect(open.private).toEqual(Buffer.from('lease-1'));
    const renew = await s.handle('RenewEphemeralResource', { type_name: 'test_token', private: open.private });
    expect(fromTimestamp(renew.renew_at as never)).toEqual(new Date(RENEW.getTime() + 1000));
    expect(renew.private).toEqual(Buffer.from('lease-2'));
    expect(await s.handle('CloseEphemeralResource', { type_name: 'test_token', private: renew.private })).toEqual({});
    expect(calls).toEqual(['open:api:{"configured":true}:true', 'renew:lease-1', 'close:lease-2']);
    // The whole response round-trips through the wire tables.
    expect(decodeMessage(RPC.OpenEphemeralResource.res, encodeMessage(RPC.OpenEphemeralResource.res, open))).toMatchObject({ private: Buffer.from('lease-1') });
  });

  test('an open that fails or leaves the result unknown is an error diagnostic without a result', async () => {
    const s = service({}, { test_token: tokens([]) });
    const failed = await s.handle('OpenEphemeralResource', { type_name: 'test_token', config: edv({ audience: 'fail', value: null }) });
    expect(failed).toEqual({ diagnostics: [{ severity: 1, summary: 'refused' }] });
    const half = await s.handle('OpenEphemeralResource', { type_name: 'test_token', config: edv({ audience: 'half', value: null }) });
    expect(half.result).toBeUndefined();
    expect((half.diagnostics as { summary: string }[])[0].summary).toBe('The provider left "value" unknown after apply');
  });

  test('a definition without renew and close answers both empty; an unknown type is a clear error', async () => {
    const { renew: _r, close: _c, ...minimal } = tokens([]);
    const s = service({}, { test_token: minimal });
    expect(await s.handle('RenewEphemeralResource', { type_name: 'test_token', private: Buffer.from('x') })).toEqual({});
    expect(await s.handle('CloseEphemeralResource', { type_name: 'test_token' })).toEqual({});
    const unknown = await s.handle('OpenEphemeralResource', { type_name: 'test_nope', config: edv({ audience: 'a', value: null }) });
    expect((unknown.diagnostics as { summary: string }[])[0].summary).toBe('Unknown ephemeral resource type "test_nope"');
  });

  test('logs of ephemeral RPCs name the RPC but never the result or private data', async () => {
    const lines: string[] = [];
    const s = service({}, { test_token: tokens([]) }, lines);
    const open = await s.handle('OpenEphemeralResource', { type_name: 'test_token', config: edv({ audience: 'api', value: null }) });
    await s.handle('CloseEphemeralResource', { type_name: 'test_token', private: open.private });
    expect(lines.join('\n')).toContain('OpenEphemeralResource started');
    expect(lines.join('\n')).not.toMatch(/tok-1|lease-1/);
  });
});
