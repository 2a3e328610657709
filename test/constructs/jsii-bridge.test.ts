/**
 * keyform as Python/Java/Go/C# users get it: the jsii assembly loaded into the real jsii runtime
 * process and driven over its stdin/stdout protocol, plus checks of the `.jsii` assembly itself.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enumValue, JsiiArtifacts, jsiiArtifacts, JsiiError, JsiiHost, ObjRef, RUNTIME_VERSION, struct } from './support/jsii';

let artifacts: JsiiArtifacts;

beforeAll(async () => {
  artifacts = await jsiiArtifacts();
}, 300_000);

describe('the jsii runtime bridge', () => {
  let host: JsiiHost;
  let outdir: string;

  beforeAll(async () => {
    host = new JsiiHost(artifacts);
    expect(await host.hello()).toEqual({ hello: `@jsii/runtime@${RUNTIME_VERSION}` });
    // Dependencies first, as every jsii host does.
    await host.load('constructs', '10.4.2', artifacts.constructsTarball);
    await host.load('cdktf', '0.21.0', artifacts.cdktfTarball);
    const loaded = await host.load('keyform', '0.1.0', artifacts.keyformTarball);
    expect(loaded.assembly).toBe('keyform');
  }, 120_000);

  afterAll(async () => {
    await host?.close();
  });

  beforeEach(() => {
    outdir = mkdtempSync(join(tmpdir(), 'keyform-jsii-out-'));
  });

  afterEach(() => rmSync(outdir, { recursive: true, force: true }));

  async function newStack(): Promise<{ app: ObjRef; stack: ObjRef }> {
    const app = await host.create('cdktf.App', [struct('cdktf.AppConfig', { outdir })]);
    const stack = await host.create('cdktf.TerraformStack', [app, 'assistants']);
    return { app, stack };
  }

  test('GIVEN a program written against the bindings WHEN it synthesizes THEN cdk.tf.json holds the credentials', async () => {
    const { app, stack } = await newStack();
    await host.create('keyform.KeyformProvider', [stack, 'keyform', struct('keyform.KeyformProviderConfig', { endpoint: 'http://127.0.0.1:8080', mid: 'mid_123456' })]);
    const customers = await host.sinvoke('keyform.Scope', 'read', ['customers']);
    const charges = await host.sinvoke('keyform.Scope', 'parse', ['charges:read']);
    expect(await host.invoke(charges, 'toString')).toBe('charges:read');
    const every = await host.sinvoke('keyform.Duration', 'days', [90]);
    const grace = await host.sinvoke('keyform.Duration', 'hours', [24]);
    const key = await host.create('keyform.ApiKey', [
      stack,
      'support',
      struct('keyform.ApiKeyConfig', {
        name: 'support-assistant',
        type: enumValue('keyform.KeyType', 'SECRET'),
        scopes: [customers, charges],
        rotation: struct('keyform.ApiKeyRotation', { every, gracePeriod: grace }),
      }),
    ]);
    expect(await host.get(key, 'fingerprint')).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\}$/);

    const mcp = await host.sget('keyform.Capability', 'MCP');
    const api = await host.sget('keyform.Capability', 'API');
    const auth = await host.create('keyform.OAuthAuthorization', [
      stack,
      'claude-code',
      struct('keyform.OAuthAuthorizationConfig', { name: 'claude-code', ownerId: 'usr_alice', capabilities: [mcp, api] }),
    ]);
    const access = await host.invoke(auth, 'grantProject', ['proj_payments', enumValue('keyform.ProjectRole', 'VIEWER')]);
    expect(access['$jsii.byref']).toMatch(/^keyform\.ProjectAccess@/);
    const grant = await host.invoke(auth, 'grantMcpServer', ['billing-flow', struct('keyform.McpServerGrantOptions', { project: 'proj_payments' })]);
    expect(grant['$jsii.byref']).toMatch(/^keyform\.McpServerGrant@/);
    await host.invoke(auth, 'grantMcpServer', ['refunds-flow']);

    const policy = await host.sinvoke('keyform.CredentialPolicy', 'addTo', [stack]);
    expect(policy['$jsii.byref']).toMatch(/^keyform\.CredentialPolicy@/);
    await host.invoke(app, 'synth');

    const tf = JSON.parse(readFileSync(join(outdir, 'stacks', 'assistants', 'cdk.tf.json'), 'utf8'));
    expect(tf.terraform.required_providers.keyform).toEqual({ source: 'keyform/keyform', version: '~> 0.1' });
    expect(tf.provider.keyform).toEqual([{ endpoint: 'http://127.0.0.1:8080', mid: 'mid_123456' }]);
    const { '//': _meta, ...apiKey } = tf.resource.keyform_api_key.support;
    expect(apiKey).toEqual({
      name: 'support-assistant',
      type: 'secret',
      scopes: ['customers:read', 'charges:read'],
      rotation: { every: '90d', grace_period: '24h' },
    });
    expect(tf.resource.keyform_oauth_authorization['claude-code']).toMatchObject({
      name: 'claude-code',
      kind: 'oauth2',
      owner_id: 'usr_alice',
      capabilities: ['mcp', 'api'],
    });
    const accesses = Object.entries<any>(tf.resource.keyform_project_access);
    expect(accesses).toHaveLength(1);
    expect(accesses[0][1]).toMatchObject({ authorization_id: '${keyform_oauth_authorization.claude-code.id}', project_id: 'proj_payments', role: 'viewer' });
    const grants = Object.values<any>(tf.resource.keyform_mcp_server_grant);
    expect(grants.map((g) => g.mcp_server_id).sort()).toEqual(['billing-flow', 'refunds-flow']);
    for (const g of grants) expect(g.depends_on).toEqual([`keyform_project_access.${accesses[0][0]}`]);
  });

  test('a validation error reaches the host as an error naming the construct path', async () => {
    const { app, stack } = await newStack();
    await host.create('keyform.KeyformProvider', [stack, 'keyform', struct('keyform.KeyformProviderConfig', {})]);
    const typo = await host.sinvoke('keyform.Scope', 'read', ['custmers']);
    await host.sinvoke('keyform.ApiKey', 'readOnly', [stack, 'support', struct('keyform.ReadOnlyApiKeyProps', { name: 'support', scopes: [typo] })]);
    const error = await host.invoke(app, 'synth').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(JsiiError);
    expect((error as JsiiError).message).toContain('KFV001 at assistants/support: unknown scope "custmers:read". Fix: did you mean "customers:read"?');
  });

  test('a policy error fails synth in the host, and an acknowledgement from the host silences it', async () => {
    const { app, stack } = await newStack();
    await host.create('keyform.KeyformProvider', [stack, 'keyform', struct('keyform.KeyformProviderConfig', {})]);
    const key = await host.create('keyform.ApiKey', [stack, 'legacy', struct('keyform.ApiKeyConfig', { name: 'legacy', type: enumValue('keyform.KeyType', 'SECRET') })]);
    await host.sinvoke('keyform.CredentialPolicy', 'addTo', [stack]);
    await expect(host.invoke(app, 'synth')).rejects.toThrow(/KF101 \[error\] at assistants\/legacy/);

    const { app: app2, stack: stack2 } = await newStack();
    await host.create('keyform.KeyformProvider', [stack2, 'keyform', struct('keyform.KeyformProviderConfig', {})]);
    const key2 = await host.create('keyform.ApiKey', [stack2, 'legacy', struct('keyform.ApiKeyConfig', { name: 'legacy', type: enumValue('keyform.KeyType', 'SECRET') })]);
    await host.sinvoke('keyform.CredentialPolicy', 'addTo', [stack2]);
    await host.sinvoke('keyform.CredentialPolicy', 'acknowledge', [key2, 'KF101', 'legacy integration, removed by 2027-03']);
    await host.invoke(app2, 'synth');
    expect(key).toBeDefined();
  });

  test('a wrong argument from the host is rejected with the jsii type error', async () => {
    const { stack } = await newStack();
    await expect(
      host.create('keyform.ApiKey', [stack, 'k', struct('keyform.ApiKeyConfig', { name: 'k', type: 'secret' })]),
    ).rejects.toThrow(/KeyType/);
  });
});

describe('the .jsii assembly', () => {
  let assembly: any;

  beforeAll(() => {
    assembly = JSON.parse(readFileSync(join(artifacts.buildDir, '.jsii'), 'utf8'));
  });

  const typeOf = (name: string) => assembly.types[`keyform.${name}`];
  const propertyNames = (name: string) => (typeOf(name).properties ?? []).map((p: any) => p.name).sort();

  test('the assembly is named keyform, targets four languages and depends on cdktf and constructs', () => {
    expect(assembly.name).toBe('keyform');
    expect(Object.keys(assembly.dependencies).sort()).toEqual(['cdktf', 'constructs']);
    expect(assembly.targets).toMatchObject({
      python: { distName: 'keyform', module: 'keyform' },
      java: { package: 'io.keyform' },
      dotnet: { namespace: 'Keyform' },
      go: { moduleName: 'github.com/keyform/keyform-go' },
    });
  });

  test('every fixed construct name is exported', () => {
    const names = Object.keys(assembly.types).map((fqn) => fqn.replace(/^keyform\./, ''));
    expect(names).toEqual(
      expect.arrayContaining([
        'KeyformProvider',
        'ApiKey',
        'OAuthAuthorization',
        'ProjectAccess',
        'McpServerGrant',
        'DataKeyformScopes',
        'DataKeyformProjects',
        'DataKeyformMcpServers',
        'DataKeyformApiKey',
        'Scope',
        'Capability',
        'CredentialPolicy',
        'KeyType',
        'KeyMode',
        'ProjectRole',
        'Duration',
      ]),
    );
    expect(typeOf('ApiKey').base).toBe('cdktf.TerraformResource');
    expect(typeOf('KeyformProvider').base).toBe('cdktf.TerraformProvider');
    expect(typeOf('DataKeyformApiKey').base).toBe('cdktf.TerraformDataSource');
    expect(typeOf('CredentialPolicy').interfaces).toEqual(['cdktf.IAspect']);
  });

  test.each([
    { struct: 'ApiKeyConfig', fields: ['description', 'expiresAt', 'mid', 'mode', 'name', 'rotation', 'scopes', 'secretDelivery', 'type'] },
    { struct: 'ApiKeyRotation', fields: ['every', 'gracePeriod'] },
    { struct: 'ApiKeySecretDelivery', fields: ['command', 'file'] },
    { struct: 'OAuthAuthorizationConfig', fields: ['capabilities', 'kind', 'name', 'ownerId'] },
    { struct: 'ProjectAccessConfig', fields: ['authorizationId', 'projectId', 'role'] },
    { struct: 'McpServerGrantConfig', fields: ['authorizationId', 'mcpServerId'] },
    { struct: 'KeyformProviderConfig', fields: ['alias', 'allowLive', 'clientId', 'clientSecret', 'endpoint', 'mid', 'token'] },
    { struct: 'McpServerGrantOptions', fields: ['project'] },
  ])('struct $struct has exactly the fields $fields', ({ struct: name, fields }) => {
    expect(typeOf(name).datatype).toBe(true);
    expect(propertyNames(name)).toEqual(fields);
  });

  test('enums and capability constants carry every catalog member', () => {
    expect(typeOf('KeyType').members.map((m: any) => m.name)).toEqual(['SECRET', 'PUBLIC', 'TOKENIZATION']);
    expect(typeOf('KeyMode').members.map((m: any) => m.name)).toEqual(['TEST', 'LIVE']);
    expect(typeOf('ProjectRole').members.map((m: any) => m.name)).toEqual(['VIEWER', 'EDITOR', 'ADMIN']);
    const constants = typeOf('Capability').properties.filter((p: any) => p.static && p.const).map((p: any) => p.name).sort();
    expect(constants).toEqual(['API', 'APPS_ADMIN', 'APPS_VIEW', 'ENDPOINTS_ACCESS', 'FLOWS_EDIT', 'MCP', 'SECRETS_EDIT']);
  });

  test('the intent helpers and presets are part of the API', () => {
    const methods = (name: string) => (typeOf(name).methods ?? []).map((m: any) => m.name);
    expect(methods('OAuthAuthorization')).toEqual(expect.arrayContaining(['grantProject', 'grantMcpServer']));
    expect(methods('ApiKey')).toEqual(expect.arrayContaining(['readOnly']));
    expect(methods('OAuthAuthorization')).toEqual(expect.arrayContaining(['mcpAssistant']));
    expect(propertyNames('McpAssistantProps')).toEqual(['additionalCapabilities', 'kind', 'mcpServerIds', 'name', 'ownerId', 'projectId', 'role']);
    expect(methods('Scope')).toEqual(expect.arrayContaining(['read', 'write', 'parse', 'toString']));
    expect(methods('CredentialPolicy')).toEqual(expect.arrayContaining(['acknowledge', 'visit', 'rules']));
    expect(propertyNames('ApiKey')).toEqual(expect.arrayContaining(['id', 'value', 'prefix', 'fingerprint', 'createdAt', 'version', 'rotatedAt']));
  });

  test('code-only bindings exist for Python, Java, Go and .NET', () => {
    const dist = join(artifacts.buildDir, 'dist');
    for (const file of ['python/src/keyform/__init__.py', 'java/pom.xml', 'go/keyform/go.mod', 'dotnet/Keyform/Keyform/ApiKeyConfig.cs']) {
      expect(existsSync(join(dist, file))).toBe(true);
    }
    expect(readFileSync(join(dist, 'python/src/keyform/__init__.py'), 'utf8')).toContain('def grant_mcp_server(');
  });

  test('a build with unchanged inputs is reused instead of rebuilt', () => {
    const out = execFileSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'jsii-build.mjs'), '--out', artifacts.buildDir], { encoding: 'utf8' });
    expect(out).toMatch(/^jsii build up to date in .* \([0-9a-f]{12}\)\n$/);
  });

  test('no internal helper leaks into the API', () => {
    const names = Object.keys(assembly.types);
    expect(names.filter((n) => /hcl|checks|RULES|GENERATOR/i.test(n))).toEqual([]);
    expect(propertyNames('McpServerGrant')).not.toContain('_authorization');
  });
});
