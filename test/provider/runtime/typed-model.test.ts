/** Typed models of schema blocks: reading a state or plan as a typed object and writing one back. */
import { UNKNOWN, type TfObject } from '../../../src/provider/framework';
import { blockSchema, passthroughState, typedModel, type ModelOf } from '../../../src/provider/plugin/typed-model';

const schema = blockSchema({
  description: 'a thing',
  attributes: {
    id: { type: 'string', computed: true, description: '' },
    expires_at: { type: 'string', optional: true, description: '' },
    version: { type: 'number', computed: true, description: '' },
    scopes: { type: ['set', 'string'], optional: true, description: '' },
    labels: { type: ['map', 'string'], optional: true, description: '' },
  },
  blocks: {
    rotation: { nesting: 'single', block: { description: 'r', attributes: { grace_period: { type: 'string', optional: true, description: '' } } } },
  },
});
type Thing = ModelOf<typeof schema>;
const model = typedModel(schema);
const empty: TfObject = { id: null, expires_at: null, version: null, scopes: null, labels: null, rotation: null };

describe('typedModel.get', () => {
  it.each([
    { reason: 'names become camelCase and known values pass', value: { id: 'x', expires_at: '2030-01-01T00:00:00Z' }, out: { id: 'x', expiresAt: '2030-01-01T00:00:00Z' } },
    { reason: 'a null value is null', value: { id: null }, out: { id: null } },
    { reason: 'a value known only after apply is undefined', value: { id: UNKNOWN }, out: { id: undefined } },
    { reason: 'a big number sent as a decimal string is a number', value: { version: '3' }, out: { version: 3 } },
    { reason: 'a set with an unknown element is wholly unknown', value: { scopes: ['a', UNKNOWN] }, out: { scopes: undefined } },
    { reason: 'a map with an unknown value is wholly unknown', value: { labels: { a: UNKNOWN } }, out: { labels: undefined } },
    { reason: 'a nested block is a typed model too', value: { rotation: { grace_period: '1h' } }, out: { rotation: { gracePeriod: '1h' } } },
    { reason: 'an absent nested block is null', value: {}, out: { rotation: null } },
  ])('$reason', ({ value, out }) => {
    expect(model.get({ ...empty, ...(value as TfObject) })).toMatchObject(out);
  });

  it('has exactly the attributes and blocks of the schema', () => {
    expect(Object.keys(model.get(empty)).sort()).toEqual(['expiresAt', 'id', 'labels', 'rotation', 'scopes', 'version']);
  });
});

describe('typedModel.state', () => {
  it('writes every attribute and block under its schema name; undefined is unknown; extra fields are ignored', () => {
    const m: Thing & { status: string } = { id: 'x', expiresAt: null, version: 2, scopes: ['a'], labels: undefined, rotation: { gracePeriod: '1h' }, status: 'active' };
    expect(model.state(m)).toEqual({ id: 'x', expires_at: null, version: 2, scopes: ['a'], labels: UNKNOWN, rotation: { grace_period: '1h' } });
  });

  it('round-trips a known state', () => {
    const state: TfObject = { id: 'x', expires_at: '2030-01-01T00:00:00Z', version: 1, scopes: ['a', 'b'], labels: { k: 'v' }, rotation: null };
    expect(model.state(model.get(state))).toEqual(state);
  });
});

describe('passthroughState', () => {
  it('is every attribute and block null but the id', () => {
    expect(passthroughState(schema, 'thing_1')).toEqual({ ...empty, id: 'thing_1' });
  });
});
