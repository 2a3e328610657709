/**
 * The construct suites run once per CDK line (jest.config.js): these checks prove the line under test
 * is the framework the project names, and that keyform's type checks hold across package copies.
 */
import * as framework from 'cdktf';
import { Aspects, TerraformStack, Testing } from 'cdktf';
import { ApiKey, CredentialPolicy, KeyformProvider, KeyMode, KeyType, McpServerGrant, OAuthAuthorization, ProjectAccess, Scope } from '../../src';
import { PROVIDER_SOURCES } from '../../src/provider/install';
import { annotations, newStack, synthJson } from './support/harness';

declare const KEYFORM_CDK_LINE: 'cdktf' | 'cdktn';

test('the suite runs on the CDK line its project names (cdktn alone has TerraformEphemeralResource)', () => {
  expect(['cdktf', 'cdktn']).toContain(KEYFORM_CDK_LINE);
  expect('TerraformEphemeralResource' in framework).toBe(KEYFORM_CDK_LINE === 'cdktn');
});

test('the provider source names no registry host, so Terraform and OpenTofu each expand it to an address the installed mirror holds', () => {
  const { stack } = newStack();
  const source: string = synthJson(stack).terraform.required_providers.keyform.source;
  expect(source).toBe('keyform/keyform');
  expect(PROVIDER_SOURCES).toEqual([`registry.terraform.io/${source}`, `registry.opentofu.org/${source}`]);
});

describe('a keyform construct in a stack of the other CDK line', () => {
  /** The other framework, loaded for real (this project maps only the bare specifier 'cdktf'). */
  const other = (): typeof import('cdktf') => (KEYFORM_CDK_LINE === 'cdktn' ? require('cdktf/lib') : require('cdktn'));
  const ours = () => KEYFORM_CDK_LINE;
  const theirs = () => (KEYFORM_CDK_LINE === 'cdktn' ? 'cdktf' : 'cdktn');
  const entryFor = (line: string) => (line === 'cdktn' ? 'keyform/cdktn' : 'keyform');

  test.each([
    { reason: 'a resource would crash the other line at app.synth() (TypeError _resetResolveDiscoveredProviderFeatureUsage)', build: (s: TerraformStack) => new ApiKey(s, 'key', { name: 'k', type: KeyType.SECRET, scopes: [Scope.read('charges')] }) },
    { reason: 'the provider configuration is an element too', build: (s: TerraformStack) => new KeyformProvider(s, 'key', {}) },
  ])('is refused when created, with KF-CONSTRUCT-026 naming the entry to import, and nothing joins the tree ($reason)', ({ build }) => {
    const cdk = other();
    const stack = new cdk.TerraformStack(cdk.Testing.app(), 'other') as unknown as TerraformStack;
    expect(() => build(stack)).toThrow(
      `KF-CONSTRUCT-026 at other/key: this keyform construct is built on ${ours()} (imported from '${entryFor(ours())}'), but its stack is a ${theirs()} stack; the two frameworks cannot share an app. Fix: import keyform's constructs from '${entryFor(theirs())}', like App and TerraformStack from '${theirs()}'.`,
    );
    expect(stack.node.children).toEqual([]);
  });
});

describe('keyform constructs from another copy of the package', () => {
  /** keyform and its framework loaded a second time: what an app with two copies in node_modules holds. */
  function otherCopy(): { kf: typeof import('../../src'); cdk: typeof import('cdktf') } {
    let copy!: { kf: typeof import('../../src'); cdk: typeof import('cdktf') };
    jest.isolateModules(() => {
      copy = { kf: require('../../src'), cdk: require('cdktf') };
    });
    expect(copy.kf.ApiKey).not.toBe(ApiKey);
    return copy;
  }

  test('GIVEN a secret key without scopes from another copy WHEN the policy visits it THEN KF101 is reported, not skipped', () => {
    const { kf } = otherCopy();
    const { stack } = newStack();
    const foreign = new kf.ApiKey(stack, 'legacy', { name: 'legacy', type: kf.KeyType.SECRET });
    expect(foreign instanceof ApiKey).toBe(false);
    Aspects.of(stack).add(new CredentialPolicy());
    Testing.synth(stack);
    const errors = annotations(stack).filter(([level]) => level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0][1]).toMatch(/^KF101 \[error\] at test\/legacy: /);
  });

  test('GIVEN a live key and the default provider from another copy WHEN validated THEN the provider is found and allows live', () => {
    const { kf, cdk } = otherCopy();
    const app = cdk.Testing.app();
    const stack = new cdk.TerraformStack(app, 'test');
    new kf.KeyformProvider(stack, 'keyform', { allowLive: true });
    const key = new ApiKey(stack as unknown as TerraformStack, 'live', { name: 'live', type: KeyType.SECRET, mode: KeyMode.LIVE, scopes: [Scope.read('charges')] });
    expect(KeyformProvider.of(key)?.allowLive).toBe(true);
  });

  test('the type checks answer by brand, and false for anything else', () => {
    const { kf } = otherCopy();
    const { stack } = newStack();
    const auth = new kf.OAuthAuthorization(stack, 'a', { name: 'a', ownerId: 'usr_alice', capabilities: [kf.Capability.MCP] });
    const access = auth.grantProject('proj_payments', kf.ProjectRole.VIEWER);
    const grant = auth.grantMcpServer('billing-flow', { project: 'proj_payments' });
    expect([OAuthAuthorization.isOAuthAuthorization(auth), ProjectAccess.isProjectAccess(access), McpServerGrant.isMcpServerGrant(grant)]).toEqual([true, true, true]);
    expect([ApiKey.isApiKey(auth), OAuthAuthorization.isOAuthAuthorization(grant), KeyformProvider.isKeyformProvider(stack)]).toEqual([false, false, false]);
    expect([ApiKey.isApiKey(undefined), ApiKey.isApiKey({}), ApiKey.isApiKey('ApiKey')]).toEqual([false, false, false]);
  });
});
