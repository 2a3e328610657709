/**
 * The plan pipeline of PlanResourceChange, step by step: computed nulls become unknown on a change,
 * then each attribute modifier (default, useStateForUnknown, custom, requiresReplace,
 * requiresReplaceIf), then the resource's modifyPlan.
 */
import { DiagnosticError, UNKNOWN, type AttributeSchema, type BlockSchema, type ModifyPlanRequest, type PlanModifier, type ResourceDefinition, type TfObject } from '../../../src/provider/framework';
import { planResourceChange } from '../../../src/provider/plugin/plan-pipeline';

type Ctx = { mid: string };

function resource(attributes: Record<string, AttributeSchema<Ctx>>, extra: Partial<ResourceDefinition<Ctx>> = {}, blocks: BlockSchema<Ctx>['blocks'] = undefined): ResourceDefinition<Ctx> {
  return {
    version: 0,
    schema: { description: 'r', attributes, ...(blocks ? { blocks } : {}) },
    create: async () => ({ state: {} }),
    read: async ({ state }) => ({ state }),
    update: async ({ planned }) => ({ state: planned }),
    delete: async () => undefined,
    ...extra,
  };
}

const ctx = { provider: { mid: 'mid_provider' }, typeName: 'test_r' };
const plan = (r: ResourceDefinition<Ctx>, prior: TfObject | null, proposed: TfObject, config: TfObject = proposed) => planResourceChange(r, { prior, proposed, config }, ctx);

const name = { type: 'string', optional: true, description: '' } as const;

describe('step 1: computed attributes the configuration leaves null become unknown when the object changes', () => {
  const r = resource({ name, id: { type: 'string', computed: true, description: '' }, token: { type: 'string', optional: true, computed: true, description: '' } });
  it.each([
    { reason: 'on create every unconfigured computed attribute is unknown', prior: null, proposed: { name: 'a', id: null, token: null }, config: { name: 'a', id: null, token: null }, out: { name: 'a', id: UNKNOWN, token: UNKNOWN } },
    { reason: 'a configured optional+computed value stays', prior: null, proposed: { name: 'a', id: null, token: 't' }, config: { name: 'a', id: null, token: 't' }, out: { name: 'a', id: UNKNOWN, token: 't' } },
    { reason: 'an update that changes something makes them unknown (no useStateForUnknown)', prior: { name: 'a', id: 'x', token: 'k' }, proposed: { name: 'b', id: 'x', token: 'k' }, config: { name: 'b', id: null, token: null }, out: { name: 'b', id: UNKNOWN, token: UNKNOWN } },
    { reason: 'an update that changes nothing keeps every value', prior: { name: 'a', id: 'x', token: 'k' }, proposed: { name: 'a', id: 'x', token: 'k' }, config: { name: 'a', id: null, token: null }, out: { name: 'a', id: 'x', token: 'k' } },
  ])('$reason', async ({ prior, proposed, config, out }) => {
    expect((await plan(r, prior, proposed, config)).planned).toEqual(out);
  });

  it('reaches computed attributes of nested blocks', async () => {
    const nested = resource({ name }, {}, { box: { nesting: 'list', block: { description: 'b', attributes: { label: name, serial: { type: 'string', computed: true, description: '' } } } } });
    const config = { name: 'a', box: [{ label: 'l', serial: null }] };
    expect((await plan(nested, null, config, config)).planned).toEqual({ name: 'a', box: [{ label: 'l', serial: UNKNOWN }] });
  });
});

describe('default', () => {
  const r = resource({ name, mode: { type: 'string', optional: true, computed: true, default: 'test', description: '' } });
  it.each([
    { reason: 'an unset attribute gets the default on create', prior: null, config: { name: 'a', mode: null }, mode: 'test' },
    { reason: 'an unset attribute gets the default on update too', prior: { name: 'a', mode: 'live' }, config: { name: 'a', mode: null }, mode: 'test' },
    { reason: 'a configured value wins', prior: null, config: { name: 'a', mode: 'live' }, mode: 'live' },
    { reason: 'a value known only after apply stays unknown', prior: null, config: { name: 'a', mode: UNKNOWN }, mode: UNKNOWN },
  ])('$reason', async ({ prior, config, mode }) => {
    expect((await plan(r, prior, { ...config, mode: config.mode ?? prior?.mode ?? null } as TfObject, config as TfObject)).planned.mode).toBe(mode);
  });
});

describe('useStateForUnknown', () => {
  const r = resource({
    name,
    id: { type: 'string', computed: true, useStateForUnknown: true, description: '' },
    rotated_at: { type: 'string', computed: true, useStateForUnknown: true, description: '' },
    token: { type: 'string', optional: true, computed: true, useStateForUnknown: true, description: '' },
  });
  it.each([
    { reason: 'an update keeps the prior value', prior: { name: 'a', id: 'x', rotated_at: 't1', token: 'k' }, config: { name: 'b', id: null, rotated_at: null, token: null }, out: { id: 'x', rotated_at: 't1', token: 'k' } },
    { reason: 'a prior null is kept too (the attribute changes only when modifyPlan says so)', prior: { name: 'a', id: 'x', rotated_at: null, token: 'k' }, config: { name: 'b', id: null, rotated_at: null, token: null }, out: { id: 'x', rotated_at: null, token: 'k' } },
    { reason: 'on create there is no prior value: unknown', prior: null, config: { name: 'b', id: null, rotated_at: null, token: null }, out: { id: UNKNOWN, rotated_at: UNKNOWN, token: UNKNOWN } },
    { reason: 'a configuration known only after apply is not overridden', prior: { name: 'a', id: 'x', rotated_at: null, token: 'k' }, config: { name: 'b', id: null, rotated_at: null, token: UNKNOWN }, out: { id: 'x', rotated_at: null, token: UNKNOWN } },
  ])('$reason', async ({ prior, config, out }) => {
    const proposed = { ...config, id: prior?.id ?? null, rotated_at: prior?.rotated_at ?? null, token: config.token ?? prior?.token ?? null };
    expect((await plan(r, prior, proposed as TfObject, config as TfObject)).planned).toMatchObject(out);
  });
});

describe('requiresReplace and requiresReplaceIf', () => {
  const r = resource({
    name,
    zone: { type: 'string', optional: true, requiresReplace: true, description: '' },
    tags: { type: ['set', 'string'], optional: true, requiresReplace: true, description: '' },
    mode: {
      type: 'string',
      optional: true,
      computed: true,
      default: 'test',
      requiresReplaceIf: { description: 'a missing mode is test', when: ({ stateValue, planValue }) => (stateValue ?? 'test') !== planValue },
      description: '',
    },
  });
  const prior = { name: 'a', zone: 'eu', tags: ['x', 'y'], mode: 'test' };
  it.each([
    { reason: 'a changed attribute forces replacement', change: { zone: 'us' }, paths: [['zone']] },
    { reason: 'a value known only after apply counts as a change', change: { zone: UNKNOWN }, paths: [['zone']] },
    { reason: 'a set in another order is the same set', change: { tags: ['y', 'x'] }, paths: [] },
    { reason: 'a changed non-replacing attribute does not', change: { name: 'b' }, paths: [] },
    { reason: 'several are listed in schema order', change: { tags: ['z'], zone: 'us' }, paths: [['zone'], ['tags']] },
    { reason: 'requiresReplaceIf forces replacement when its condition holds', change: { mode: 'live' }, paths: [['mode']] },
    { reason: 'requiresReplaceIf does not when its condition fails (a missing prior mode is test)', prior: { ...prior, mode: null }, change: { mode: 'test' }, paths: [] },
  ])('$reason', async ({ change, paths, ...rest }) => {
    const before = (rest as { prior?: TfObject }).prior ?? prior;
    const next = { ...before, ...change } as TfObject;
    expect((await plan(r, before, next, next)).requiresReplace).toEqual(paths);
  });

  it('never on create', async () => {
    const next = { name: 'a', zone: 'us', tags: null, mode: null };
    expect((await plan(r, null, next)).requiresReplace).toEqual([]);
  });

  it('requiresReplaceIf is not asked when the value did not change', async () => {
    const when = jest.fn(() => true);
    const asked = resource({ name, zone: { type: 'string', optional: true, requiresReplaceIf: { description: '', when }, description: '' } });
    await plan(asked, { name: 'a', zone: 'eu' }, { name: 'b', zone: 'eu' });
    expect(when).not.toHaveBeenCalled();
  });

  it.each([
    { reason: 'an attribute inside a single block is named by its path', nesting: 'single' as const, before: { zone: 'eu' }, after: { zone: 'us' }, paths: [['box', 'zone']] },
    { reason: 'a single block added forces replacement of the block', nesting: 'single' as const, before: null, after: { zone: 'us' }, paths: [['box']] },
    { reason: 'a set block cannot be matched element by element: any change replaces it', nesting: 'set' as const, before: [{ zone: 'eu' }], after: [{ zone: 'us' }], paths: [['box']] },
    { reason: 'a list block is matched by position', nesting: 'list' as const, before: [{ zone: 'eu' }, { zone: 'eu' }], after: [{ zone: 'eu' }, { zone: 'us' }], paths: [['box', 1, 'zone']] },
  ])('$reason', async ({ nesting, before, after, paths }) => {
    const nested = resource({ name }, {}, { box: { nesting, block: { description: 'b', attributes: { zone: { type: 'string', optional: true, requiresReplace: true, description: '' } } } } });
    const next = { name: 'a', box: after } as TfObject;
    expect((await plan(nested, { name: 'a', box: before } as TfObject, next)).requiresReplace).toEqual(paths);
  });
});

describe('custom plan modifiers', () => {
  const providerMid: PlanModifier<Ctx> = {
    description: 'the provider mid',
    modify: ({ configValue, ctx: c }) => (configValue === null ? { planValue: c.provider!.mid } : undefined),
  };
  const r = resource({
    name,
    mode: { type: 'string', optional: true, computed: true, default: 'test', description: '' },
    mid: { type: 'string', optional: true, computed: true, planModifiers: [providerMid], requiresReplace: true, description: '' },
    prefix: { type: 'string', computed: true, planModifiers: [{ description: 'from mode', modify: ({ planned }) => ({ planValue: `pk_${String(planned.mode)}_` }) }], description: '' },
  });

  it.each([
    { reason: 'a modifier sets the value from the provider', prior: null, config: { name: 'a', mode: null, mid: null, prefix: null }, out: { mid: 'mid_provider' }, paths: [] },
    { reason: 'a modifier sees the defaults of attributes before it', prior: null, config: { name: 'a', mode: null, mid: null, prefix: null }, out: { prefix: 'pk_test_' }, paths: [] },
    {
      reason: 'replacement is judged on the value the modifier planned (a new provider mid replaces)',
      prior: { name: 'a', mode: 'test', mid: 'mid_old', prefix: 'pk_test_' },
      config: { name: 'a', mode: null, mid: null, prefix: null },
      out: { mid: 'mid_provider' },
      paths: [['mid']],
    },
  ])('$reason', async ({ prior, config, out, paths }) => {
    const proposed = prior ? { ...prior, ...Object.fromEntries(Object.entries(config).filter(([, v]) => v !== null)) } : config;
    const res = await plan(r, prior, proposed, config);
    expect(res.planned).toMatchObject(out);
    expect(res.requiresReplace).toEqual(paths);
  });

  it('a modifier may force replacement and report diagnostics; an error stops the plan before modifyPlan', async () => {
    const modifyPlan = jest.fn();
    const strict = resource(
      { name: { ...name, planModifiers: [{ description: 'no renames', modify: () => ({ requiresReplace: true, diagnostics: [{ severity: 'error', summary: 'renamed' }] }) }] } },
      { modifyPlan },
    );
    const res = await plan(strict, { name: 'a' }, { name: 'b' });
    expect(res.requiresReplace).toEqual([['name']]);
    expect(res.diagnostics).toEqual([{ severity: 'error', summary: 'renamed' }]);
    expect(modifyPlan).not.toHaveBeenCalled();
  });

  it('a modifier that throws a DiagnosticError fails the plan with it', async () => {
    const failing = resource({ name: { ...name, planModifiers: [{ description: 'x', modify: () => { throw new DiagnosticError([{ severity: 'error', summary: 'no mid' }]); } }] } });
    await expect(plan(failing, null, { name: 'a' })).rejects.toThrow('no mid');
  });
});

describe('modifyPlan', () => {
  it('sees the schema steps and their replacement paths, and adds its own without duplicates', async () => {
    const seen: ModifyPlanRequest[] = [];
    const r = resource(
      { name, zone: { type: 'string', optional: true, requiresReplace: true, description: '' }, id: { type: 'string', computed: true, useStateForUnknown: true, description: '' } },
      {
        modifyPlan: async (req) => {
          seen.push(req);
          return { planned: { ...req.planned, id: UNKNOWN }, requiresReplace: [['zone'], ['id']], diagnostics: [{ severity: 'warning', summary: 'replacing' }] };
        },
      },
    );
    const res = await plan(r, { name: 'a', zone: 'eu', id: 'x' }, { name: 'a', zone: 'us', id: 'x' }, { name: 'a', zone: 'us', id: null });
    expect(seen[0].planned).toEqual({ name: 'a', zone: 'us', id: 'x' });
    expect(seen[0].requiresReplace).toEqual([['zone']]);
    expect(res).toEqual({ planned: { name: 'a', zone: 'us', id: UNKNOWN }, requiresReplace: [['zone'], ['id']], diagnostics: [{ severity: 'warning', summary: 'replacing' }] });
  });
});
