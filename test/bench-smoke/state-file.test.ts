/** The state writer of the scale benchmark: instances copy the template; a mapping that drifts from the provider's attributes is refused. */
import type { ApiKey } from '../../src/model';
import { checkKeyMapping, floorResources, keyAttributes, keyResources, type StateTemplate } from '../../bench/lib/state-file';
import { median, percentile, mapConcurrent } from '../../bench/lib/stats';

const KEY: ApiKey = {
  id: 'key_A',
  object: 'api_key',
  mid: 'mid_123456',
  name: 'bench-0',
  type: 'secret',
  mode: 'test',
  scopes: ['customers:read', 'charges:read'],
  description: null,
  expires_at: null,
  metadata: {},
  prefix: 'fsk_test_',
  last4: 'abcd',
  fingerprint: 'sha256:0123456789abcdef',
  version: 1,
  status: 'active',
  created_at: '2026-11-23T00:00:00.000Z',
  updated_at: '2026-11-23T00:00:00.000Z',
  rotated_at: null,
  revoked_at: null,
  previous_expires_at: null,
  last_used_at: null,
} as ApiKey;

function template(attributes: Record<string, unknown>, type = 'keyform_api_key'): StateTemplate {
  return {
    terraformVersion: '1.11.4',
    resource: {
      mode: 'managed',
      type,
      name: type === 'keyform_api_key' ? 'k0' : 'd0',
      provider: 'provider["registry.terraform.io/keyform/keyform"]',
      instances: [{ schema_version: 0, attributes, sensitive_attributes: [[{ type: 'get_attr', value: 'value' }]] }],
    },
  };
}

describe('state file writer', () => {
  it('accepts a template whose attributes the mapping reproduces exactly', () => {
    expect(() => checkKeyMapping(template(keyAttributes(KEY, 'secret-value')), KEY)).not.toThrow();
  });

  it.each([
    { reason: 'the provider has an attribute the mapping lacks', change: (a: Record<string, unknown>) => ({ ...a, future_attribute: null }), message: /attributes differ/ },
    { reason: 'the provider stores a value differently', change: (a: Record<string, unknown>) => ({ ...a, version: '1' }), message: /attribute version/ },
  ])('refuses a template when $reason', ({ change, message }) => {
    expect(() => checkKeyMapping(template(change(keyAttributes(KEY, 'v'))), KEY)).toThrow(message);
  });

  it('names the differing attribute without printing the secret held in state', () => {
    const tpl = template({ ...keyAttributes(KEY, 'state-secret') });
    const err = (() => {
      try {
        checkKeyMapping(tpl, { ...KEY, version: 2 });
      } catch (e) {
        return String(e);
      }
      return '';
    })();
    expect(err).toMatch(/attribute version/);
    expect(err).not.toContain('state-secret');
  });

  it('copies the template instance (schema version, sensitive paths) with sorted scopes per key', () => {
    const [r] = keyResources(template(keyAttributes(KEY, 'x')), [{ key: KEY, value: 'v0' }]);
    expect(r.name).toBe('k0');
    expect(r.instances[0].schema_version).toBe(0);
    expect(r.instances[0].sensitive_attributes).toEqual([[{ type: 'get_attr', value: 'value' }]]);
    expect(r.instances[0].attributes.scopes).toEqual(['charges:read', 'customers:read']);
  });

  it('gives every terraform_data a fresh id and its own input', () => {
    const tpl = template({ id: 'tpl-id', input: { value: 'bench-0', type: 'string' }, output: { value: 'bench-0', type: 'string' }, triggers_replace: null }, 'terraform_data');
    const rs = floorResources(tpl, 3);
    expect(rs.map((r) => r.name)).toEqual(['d0', 'd1', 'd2']);
    expect(new Set(rs.map((r) => r.instances[0].attributes.id)).size).toBe(3);
    expect(rs[2].instances[0].attributes).toMatchObject({ input: { value: 'bench-2' }, output: { value: 'bench-2' } });
  });
});

describe('benchmark statistics', () => {
  it.each([
    { reason: 'odd count', xs: [3, 1, 2], p: 50, want: 2 },
    { reason: 'nearest rank rounds up', xs: [1, 2, 3, 4], p: 95, want: 4 },
    { reason: 'smallest rank is the minimum', xs: [5, 9], p: 1, want: 5 },
  ])('percentile: $reason', ({ xs, p, want }) => {
    expect(percentile(xs, p)).toBe(want);
  });

  it('median of an even list is the upper middle', () => {
    expect(median([4, 1, 3, 2])).toBe(3);
  });

  it('mapConcurrent keeps order and never exceeds the concurrency', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapConcurrent([1, 2, 3, 4, 5, 6], 2, async (x) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return x * 10;
    });
    expect(out).toEqual([10, 20, 30, 40, 50, 60]);
    expect(most).toBe(2);
  });
});
