/** Pure parts of `keyform adopt`: literal escaping, addresses, and the provider block's allow_live. */
import { assignAddresses, hclString, identifierOf, planAdoption, renderHcl, renderTypeScript, tsTerraformString } from '../../src/adopt';
import type { ApiKey, Authorization } from '../../src/model';

describe('hclString', () => {
  it.each([
    { reason: 'plain text is quoted as is', input: 'payments', expected: '"payments"' },
    { reason: 'a quote cannot end the literal', input: 'a"b', expected: '"a\\"b"' },
    { reason: 'a newline cannot start a new block', input: 'a\n}', expected: '"a\\n}"' },
    { reason: 'a backslash cannot escape the closing quote', input: 'a\\', expected: '"a\\\\"' },
    { reason: 'an interpolation stays literal', input: '${file("x")}', expected: '"$${file(\\"x\\")}"' },
    { reason: 'a template directive stays literal', input: '%{ if true }', expected: '"%%{ if true }"' },
    { reason: 'a dollar not followed by { is unchanged', input: '$5 %d', expected: '"$5 %d"' },
    { reason: 'control characters are escaped', input: 'a\u0000b\u001b', expected: '"a\\u0000b\\u001b"' },
  ])('$reason', ({ input, expected }) => {
    expect(hclString(input)).toBe(expected);
  });
});

describe('tsTerraformString', () => {
  it.each([
    { reason: 'a quote and a newline stay inside the literal', input: 'a"\n', expected: '"a\\"\\n"' },
    { reason: 'a Terraform interpolation is escaped for cdk.tf.json', input: '${x}', expected: '"$${x}"' },
    { reason: 'a TypeScript template has no meaning in a double-quoted literal', input: '`${y}`', expected: '"`$${y}`"' },
    { reason: 'line separators are escaped', input: '\u2028', expected: '"\\u2028"' },
  ])('$reason', ({ input, expected }) => {
    expect(tsTerraformString(input)).toBe(expected);
  });
});

describe('addresses', () => {
  it.each([
    { reason: 'kebab case becomes snake case', name: 'payment-service', expected: 'payment_service' },
    { reason: 'upper case is lowered', name: 'CI Bot', expected: 'ci_bot' },
    { reason: 'a leading digit gets the fallback prefix', name: '2fa-service', expected: 'key_2fa_service' },
    { reason: 'nothing usable gives the fallback', name: '"; }', expected: 'key' },
    { reason: 'accents are dropped, not lost', name: 'café', expected: 'cafe' },
  ])('$reason', ({ name, expected }) => {
    expect(identifierOf(name, 'key')).toBe(expected);
  });

  it('numbers duplicates in creation order, so an object created later never renames an earlier one', () => {
    const objects = [
      { id: 'key_b', name: 'ci', created_at: '2026-01-02T00:00:00Z' },
      { id: 'key_a', name: 'CI', created_at: '2026-01-01T00:00:00Z' },
      { id: 'key_c', name: 'ci', created_at: '2026-01-03T00:00:00Z' },
    ];
    const first = assignAddresses(objects.slice(0, 2), 'key');
    const later = assignAddresses(objects, 'key');
    expect(Object.fromEntries(later)).toEqual({ key_a: 'ci', key_b: 'ci_2', key_c: 'ci_3' });
    for (const [id, address] of first) expect(later.get(id)).toBe(address);
  });
});

function key(over: Partial<ApiKey>): ApiKey {
  return {
    id: 'key_1', object: 'api_key', mid: 'mid_1', name: 'k', type: 'secret', mode: 'test', scopes: ['customers:read'], description: null, expires_at: null,
    metadata: {}, prefix: 'fsk_test_', last4: 'abcd', fingerprint: 'sha256:0', version: 1, status: 'active', created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z', rotated_at: null, revoked_at: null, previous_expires_at: null, last_used_at: null, ...over,
  };
}

function authorization(over: Partial<Authorization>): Authorization {
  return {
    id: 'auth_1', object: 'authorization', name: 'assistant', kind: 'oauth2', owner_id: 'usr_alice', mode: 'test', mid: 'mid_1', capabilities: ['api'],
    project_access: [], mcp_servers: [], client_id: 'fci_1', fingerprint: 'sha256:1', managed_grants: { project_ids: [], mcp_server_ids: [] },
    created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z', ...over,
  };
}

describe('provider settings', () => {
  it.each([
    { reason: 'test keys only: no allow_live', keys: [key({})], live: false },
    { reason: 'a live key: allow_live with the reason', keys: [key({}), key({ id: 'key_2', mode: 'live', prefix: 'fsk_' })], live: true },
  ])('$reason', ({ keys, live }) => {
    const adoption = planAdoption({ keys, authorizations: [], serverProjects: new Map() });
    const main = renderHcl(adoption, '2026-01-01T00:00:00Z').find((f) => f.name === 'main.tf')!.text;
    const ts = renderTypeScript(adoption, '2026-01-01T00:00:00Z').find((f) => f.name === 'main.ts')!.text;
    expect(main.includes('allow_live = true')).toBe(live);
    expect(/live key\(s\).*: without allow_live/.test(main)).toBe(live);
    expect(ts.includes('allowLive: true')).toBe(live);
  });

  it.each([
    { reason: 'a test authorization says no mode (test is the default)', mode: 'test' as const, hcl: false, ts: false },
    { reason: 'a live authorization says mode = "live" (immutable: without it the first plan would replace it) and needs allow_live', mode: 'live' as const, hcl: true, ts: true },
  ])('$reason', ({ mode, hcl, ts: tsLive }) => {
    const adoption = planAdoption({ keys: [key({})], authorizations: [authorization({ mode })], serverProjects: new Map() });
    const files = renderHcl(adoption, '2026-01-01T00:00:00Z');
    const auths = files.find((f) => f.name === 'authorizations.tf')!.text;
    const main = files.find((f) => f.name === 'main.tf')!.text;
    const ts = renderTypeScript(adoption, '2026-01-01T00:00:00Z').find((f) => f.name === 'main.ts')!.text;
    expect(/mode\s*=\s*"live"/.test(auths)).toBe(hcl);
    expect(main.includes('allow_live = true')).toBe(hcl);
    expect(ts.includes('mode: KeyMode.LIVE')).toBe(tsLive);
    expect(ts.includes('allowLive: true')).toBe(tsLive);
  });

  it('keys of several merchants each name their merchant; the provider names none', () => {
    const adoption = planAdoption({ keys: [key({}), key({ id: 'key_2', mid: 'mid_2', name: 'other' })], authorizations: [], serverProjects: new Map() });
    expect(adoption.providerMid).toBeUndefined();
    expect(adoption.keys.every((k) => k.writeMid)).toBe(true);
  });
});
