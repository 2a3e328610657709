/**
 * The cdktf line's escape hatch for `ephemeral "keyform_access_token"` (docs/guides/ephemeral-credentials.md):
 * the override writes the ephemeral block, and an aliased KeyformProvider configured with its
 * `access_token` serves a key, exactly as the guide shows.
 */
import { TerraformStack, Testing } from 'cdktf';
import { ApiKey, KeyformProvider, KeyType, Scope } from '../../src';

test('the documented override synthesizes the ephemeral block, the aliased provider and the key that uses it', () => {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'credentials');
  new KeyformProvider(stack, 'keyform', {});
  stack.addOverride('ephemeral.keyform_access_token.run', {});
  const runProvider = new KeyformProvider(stack, 'keyform-run', { alias: 'run', token: '${ephemeral.keyform_access_token.run.access_token}' });
  new ApiKey(stack, 'reporting', { provider: runProvider, name: 'reporting', type: KeyType.SECRET, scopes: [Scope.read('charges')] });
  const out = JSON.parse(Testing.synth(stack));
  expect(out.ephemeral).toEqual({ keyform_access_token: { run: {} } });
  expect(out.provider.keyform).toEqual(expect.arrayContaining([expect.objectContaining({ alias: 'run', token: '${ephemeral.keyform_access_token.run.access_token}' })]));
  const key = Object.values(out.resource.keyform_api_key as Record<string, { provider?: string }>)[0];
  expect(key.provider).toBe('keyform.run');
});
