/** The Provider service on decoded messages: planning defaults, apply dispatch, diagnostics, logging. */
import { DiagnosticError, UNKNOWN, type ProviderDefinition, type ResourceDefinition, type TfObject } from '../../../src/provider/framework';
import { decodeBlock, encodeBlock } from '../../../src/provider/plugin/cty-codec';
import { createLogger } from '../../../src/provider/plugin/logger';
import { ProviderService } from '../../../src/provider/plugin/provider-service';

const schema = {
  description: 'w',
  attributes: {
    id: { type: 'string' as const, description: '', computed: true, useStateForUnknown: true },
    name: { type: 'string' as const, description: '', required: true },
    zone: { type: 'string' as const, description: '', optional: true, requiresReplace: true },
    tags: { type: ['set', 'string'] as ['set', 'string'], description: '', optional: true, requiresReplace: true },
    labels: { type: ['map', 'string'] as ['map', 'string'], description: '', optional: true },
    token: { type: 'string' as const, description: '', optional: true, computed: true, sensitive: true, useStateForUnknown: true },
  },
};

function widget(overrides: Partial<ResourceDefinition<unknown>> = {}): ResourceDefinition<unknown> {
  return {
    schema,
    version: 0,
    create: async ({ planned }) => ({ state: { ...planned, id: 'w-1', token: planned.token === UNKNOWN ? 'tok' : planned.token } }),
    read: async ({ state }) => ({ state }),
    update: async ({ planned }) => ({ state: planned }),
    delete: async () => undefined,
    ...overrides,
  };
}

function service(res: ResourceDefinition<unknown>, log: string[] = []): ProviderService<unknown> {
  const def: ProviderDefinition<unknown> = {
    schema: { description: 'p', attributes: {} },
    configure: async () => ({}),
    resources: { test_widget: res },
    dataSources: {},
  };
  return new ProviderService(def, createLogger('test', 'trace', (l) => log.push(l)));
}

const dv = (v: TfObject | null) => ({ msgpack: encodeBlock(schema, v) });
const obj = (v: Partial<Record<keyof typeof schema.attributes, unknown>>): TfObject =>
  ({ id: null, name: null, zone: null, tags: null, labels: null, token: null, ...v }) as TfObject;
const planned = (res: Record<string, unknown>) => decodeBlock(schema, (res.planned_state as { msgpack: Buffer }).msgpack);

describe('PlanResourceChange without a modifyPlan method', () => {
  test('on create, computed attributes the config leaves null become unknown; configured ones stay', async () => {
    const cfg = obj({ name: 'a', token: 'given' });
    const res = await service(widget()).handle('PlanResourceChange', { type_name: 'test_widget', prior_state: dv(null), proposed_new_state: dv(cfg), config: dv(cfg) });
    expect(planned(res)).toEqual({ ...cfg, id: UNKNOWN, token: 'given' });
    expect(res.requires_replace).toEqual([]);
  });

  test('on update, useStateForUnknown keeps prior computed values and only changed requiresReplace attributes force replacement', async () => {
    const prior = obj({ id: 'w-1', name: 'a', zone: 'eu', tags: ['x', 'y'], token: 'tok' });
    const cfg = obj({ name: 'b', zone: 'eu', tags: ['y', 'x'] });
    const proposed = { ...cfg, id: null, token: null };
    const res = await service(widget()).handle('PlanResourceChange', { type_name: 'test_widget', prior_state: dv(prior), proposed_new_state: dv(proposed), config: dv(cfg) });
    expect(planned(res)).toMatchObject({ id: 'w-1', token: 'tok', name: 'b' });
    expect(res.requires_replace).toEqual([]);
    const moved = { ...proposed, zone: 'us' };
    const res2 = await service(widget()).handle('PlanResourceChange', { type_name: 'test_widget', prior_state: dv(prior), proposed_new_state: dv(moved), config: dv({ ...cfg, zone: 'us' }) });
    expect(res2.requires_replace).toEqual([{ steps: [{ attribute_name: 'zone' }] }]);
  });

  test('a destroy (null proposed state) is planned as null without calling modifyPlan', async () => {
    const plan = jest.fn();
    const res = await service(widget({ modifyPlan: plan })).handle('PlanResourceChange', { type_name: 'test_widget', prior_state: dv(obj({ id: 'w-1', name: 'a' })), proposed_new_state: dv(null), config: dv(null) });
    expect(planned(res)).toBeNull();
    expect(plan).not.toHaveBeenCalled();
  });

  test('prior private data passes through the plan', async () => {
    const cfg = obj({ name: 'a' });
    const res = await service(widget()).handle('PlanResourceChange', { type_name: 'test_widget', prior_state: dv(cfg), proposed_new_state: dv(cfg), config: dv(cfg), prior_private: Buffer.from('p') });
    expect(res.planned_private).toEqual(Buffer.from('p'));
  });
});

describe('ApplyResourceChange', () => {
  test('a null planned state deletes and answers a null new state', async () => {
    const del = jest.fn(async () => undefined);
    const res = await service(widget({ delete: del })).handle('ApplyResourceChange', { type_name: 'test_widget', prior_state: dv(obj({ id: 'w-1', name: 'a' })), planned_state: dv(null), config: dv(null) });
    expect(del).toHaveBeenCalledTimes(1);
    expect(decodeBlock(schema, (res.new_state as { msgpack: Buffer }).msgpack)).toBeNull();
  });

  test('a failed update keeps the prior object in state and reports the error message only (no stack)', async () => {
    const prior = obj({ id: 'w-1', name: 'a' });
    const res = await service(widget({ update: async () => { throw new Error('API said no'); } })).handle('ApplyResourceChange', { type_name: 'test_widget', prior_state: dv(prior), planned_state: dv({ ...prior, name: 'b' }), config: dv({ ...prior, name: 'b' }) });
    expect(decodeBlock(schema, (res.new_state as { msgpack: Buffer }).msgpack)).toEqual(prior);
    expect(res.diagnostics).toEqual([{ severity: 1, summary: 'API said no' }]);
  });

  test('a state left unknown after apply is an error naming the attribute', async () => {
    const p = obj({ id: UNKNOWN, name: 'a', token: UNKNOWN });
    const res = await service(widget({ create: async ({ planned: pl }) => ({ state: { ...pl, id: 'w-1' } }) })).handle('ApplyResourceChange', { type_name: 'test_widget', prior_state: dv(null), planned_state: dv(p), config: dv(obj({ name: 'a' })) });
    expect((res.diagnostics as { summary: string }[])[0].summary).toBe('The provider left "token" unknown after apply');
  });
});

describe('diagnostics and errors', () => {
  test('DiagnosticError paths follow the schema: map keys become element_key_string', async () => {
    const validate = () => {
      throw new DiagnosticError([{ severity: 'error', summary: 'bad label', attribute: ['labels', 'env'] }, { severity: 'warning', summary: 'odd tag', attribute: ['tags', 0] }]);
    };
    const res = await service(widget({ validate })).handle('ValidateResourceConfig', { type_name: 'test_widget', config: dv(obj({ name: 'a' })) });
    expect(res.diagnostics).toEqual([
      { severity: 1, summary: 'bad label', attribute: { steps: [{ attribute_name: 'labels' }, { element_key_string: 'env' }] } },
      { severity: 2, summary: 'odd tag', attribute: { steps: [{ attribute_name: 'tags' }, { element_key_int: 0 }] } },
    ]);
  });

  test('reading an object that is gone answers a null state (Terraform then plans a create)', async () => {
    const res = await service(widget({ read: async () => ({ state: null }) })).handle('ReadResource', { type_name: 'test_widget', current_state: dv(obj({ id: 'w-1', name: 'a' })), private: Buffer.from('keep') });
    expect(decodeBlock(schema, (res.new_state as { msgpack: Buffer }).msgpack)).toBeNull();
    expect(res.private).toEqual(Buffer.from('keep'));
  });

  test('import without an import method, unknown types and newer state versions are clear errors', async () => {
    const s = service(widget());
    const imp = await s.handle('ImportResourceState', { type_name: 'test_widget', id: 'x' });
    expect((imp.diagnostics as { detail: string }[])[0].detail).toContain('KF-PLUGIN-004');
    const unknown = await s.handle('ReadResource', { type_name: 'test_gadget', current_state: dv(null) });
    expect((unknown.diagnostics as { summary: string }[])[0].summary).toBe('Unknown resource type "test_gadget"');
    const newer = await s.handle('UpgradeResourceState', { type_name: 'test_widget', version: 3, raw_state: { json: Buffer.from('{}') } });
    expect((newer.diagnostics as { detail: string }[])[0].detail).toContain('KF-PLUGIN-011');
  });

  test('logs name the RPC and resource type but never attribute values', async () => {
    const lines: string[] = [];
    const cfg = obj({ name: 'a', token: 'very-secret-token' });
    await service(widget(), lines).handle('ApplyResourceChange', { type_name: 'test_widget', prior_state: dv(null), planned_state: dv({ ...cfg, id: UNKNOWN }), config: dv(cfg) });
    expect(lines.length).toBeGreaterThan(0);
    const first = JSON.parse(lines[0]);
    expect(first).toMatchObject({ '@level': 'debug', '@message': 'ApplyResourceChange started', '@module': 'test', tf_resource_type: 'test_widget' });
    expect(typeof first['@timestamp']).toBe('string');
    expect(lines.join('\n')).not.toContain('very-secret-token');
  });
});
