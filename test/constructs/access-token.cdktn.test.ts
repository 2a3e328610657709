/**
 * `EphemeralKeyformAccessToken` (keyform/cdktn only): synthesizes `ephemeral "keyform_access_token"`,
 * validates its client credentials at synth, and configures an aliased provider whose key the real
 * Terraform CLI creates with the run's token against the reference server, leaving no token in state.
 * Runs in the cdktn jest project only. Requires `npm run build` (the provider bundle).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Construct } from 'constructs';
// This project maps cdktf to cdktn, so these are cdktn's classes, typed as the sources are.
import { Aspects, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { EphemeralKeyformAccessToken } from '../../src/cdktn/ephemeral-keyform-access-token';
import { ApiKey, CredentialPolicy, KeyformProvider, KeyType, Scope } from '../../src';
import { startTestServer, TestServer } from '../support/server';
import { installTestProvider, resourcesByAddress, TerraformWorkdir, TestProvider } from '../support/terraform';
import { annotations, synthJson, validationErrors } from './support/harness';

jest.setTimeout(180_000);

const ROOT = resolve(__dirname, '..', '..');

/**
 * A stack with the default keyform provider in an app that targets Terraform >= 1.10 and OpenTofu
 * >= 1.11 (cdktn refuses ephemeral resources at synth for older targets).
 */
function newStack(targetVersions: object | null = { terraform: '>=1.10.0', opentofu: '>=1.11.0' }): { stack: TerraformStack } {
  const app = targetVersions ? Testing.app({ context: { targetVersions } }) : Testing.app();
  const stack = new TerraformStack(app, 'test');
  new KeyformProvider(stack, 'keyform', {});
  return { stack };
}

/** A stack whose key is created by an aliased provider that acts with the run's access token. */
function runTokenStack(stack: Construct): ApiKey {
  const token = new EphemeralKeyformAccessToken(stack, 'run');
  const narrow = new KeyformProvider(stack, 'keyform-run', { alias: 'run', mid: 'mid_123456', token: token.accessToken });
  return new ApiKey(stack, 'reporting', { provider: narrow, name: 'reporting', type: KeyType.SECRET, scopes: [Scope.read('charges')] });
}

test('cdktn itself refuses the ephemeral block when the app targets Terraform older than 1.10 (the README says to set targetVersions)', () => {
  const { stack } = newStack(null);
  new EphemeralKeyformAccessToken(stack, 'run');
  expect(() => Testing.synth(stack, true)).toThrow(/ephemeral resources requires terraform >=1\.10\.0/);
});

test('the token synthesizes an ephemeral block, and the aliased provider references its access_token', () => {
  const { stack } = newStack();
  runTokenStack(stack);
  const json = synthJson(stack);
  const { '//': _meta, ...block } = json.ephemeral.keyform_access_token.run;
  expect(block).toEqual({});
  expect(json.provider.keyform).toEqual(expect.arrayContaining([{ alias: 'run', mid: 'mid_123456', token: '${ephemeral.keyform_access_token.run.access_token}' }]));
  expect(json.resource.keyform_api_key.reporting.provider).toBe('keyform.run');
  expect(json.terraform.required_providers.keyform).toEqual({ source: 'keyform/keyform', version: '~> 0.1' });
});

test('its own client is passed through, the secret as a reference', () => {
  const { stack } = newStack();
  const secret = new TerraformVariable(stack, 'ci_secret', { type: 'string', sensitive: true, ephemeral: true } as never);
  const token = new EphemeralKeyformAccessToken(stack, 'ci', { clientId: 'cli_ci', clientSecret: secret.stringValue });
  expect(token.expiresAt).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\}$/);
  expect(EphemeralKeyformAccessToken.isEphemeralKeyformAccessToken(token)).toBe(true);
  expect(synthJson(stack).ephemeral.keyform_access_token.ci).toMatchObject({ client_id: 'cli_ci', client_secret: '${var.ci_secret}' });
});

test.each([
  { reason: 'a client id without its secret would silently fall back to nothing', config: { clientId: 'cli_ci' }, missing: 'clientSecret' },
  { reason: 'a secret without its client id names no client', config: { clientSecret: 'x' }, missing: 'clientId' },
])('half client credentials fail at synth with KF-CONSTRUCT-025 ($missing missing)', ({ config, missing }) => {
  const { stack } = newStack();
  new EphemeralKeyformAccessToken(stack, 'ci', config);
  expect(validationErrors(stack)).toEqual([
    `KF-CONSTRUCT-025 at test/ci: the access token sets only one of clientId and clientSecret (${missing} is missing). Fix: set ${missing} too, or neither to use the provider's own client credentials.`,
  ]);
});

test('the credential policy finds nothing to flag: the aliased provider\'s token is a reference, not a literal (KF107)', () => {
  const { stack } = newStack();
  runTokenStack(stack);
  Aspects.of(stack).add(new CredentialPolicy());
  Testing.synth(stack);
  expect(annotations(stack).filter(([level]) => level !== 'info')).toEqual([]);
});

describe('applied with Terraform against the reference server', () => {
  let server: TestServer;
  let provider: TestProvider;
  let work: TerraformWorkdir;

  beforeAll(async () => {
    server = await startTestServer();
    provider = await installTestProvider({ bundle: join(ROOT, 'dist', 'provider', 'keyform-plugin.js'), dev: true });
    work = await TerraformWorkdir.create(provider, {
      KEYFORM_ENDPOINT: server.url,
      KEYFORM_CLIENT_ID: server.adminClientId,
      KEYFORM_CLIENT_SECRET: server.adminClientSecret,
    });
  });

  afterAll(async () => {
    await work?.remove();
    await provider?.remove();
    await server?.stop();
  });

  test('GIVEN a key of the run-token provider WHEN applied THEN the key exists, no token is in state, and the next plan is empty', async () => {
    const { stack } = newStack();
    runTokenStack(stack);
    work.writeConfig(JSON.parse(Testing.synth(stack)));
    const applied = await work.apply();
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);

    const resources = resourcesByAddress(await work.show());
    expect(resources['keyform_api_key.reporting']).toMatchObject({ name: 'reporting', type: 'secret', scopes: ['charges:read'] });
    // The state names the ephemeral block only as a dependency address; no bearer (kfat_…) is in it.
    const state = readFileSync(join(work.dir, 'terraform.tfstate'), 'utf8');
    expect(JSON.parse(state).resources.map((r: { mode: string; type: string }) => `${r.mode} ${r.type}`)).toEqual(['managed keyform_api_key']);
    expect(state).not.toContain('kfat_');
    expect(applied.stdout).not.toContain('kfat_');

    expect((await work.plan()).code).toBe(0);
    expect((await work.destroy()).code).toBe(0);
  });
});
