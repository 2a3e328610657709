/**
 * keyform as Python/Java/Go/C# users get it, on both CDK lines: each line's jsii assembly (`keyform`
 * on cdktf, `keyform-cdktn` on cdktn) loaded into the real jsii runtime process and driven over its
 * stdin/stdout protocol, plus checks of the `.jsii` assemblies themselves.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enumValue, JSII_LINES, JsiiArtifacts, jsiiArtifacts, JsiiError, JsiiHost, ObjRef, RUNTIME_VERSION, struct } from './support/jsii';

/** What each line's assembly must declare and generate. */
const EXPECTED = {
  cdktf: {
    targets: {
      python: { distName: 'keyform', module: 'keyform' },
      java: { package: 'io.keyform' },
      dotnet: { namespace: 'Keyform' },
      go: { moduleName: 'github.com/keyform/keyform-go', packageName: 'keyform' },
    },
    bindings: ['python/src/keyform/__init__.py', 'java/pom.xml', 'java/src/main/java/io/keyform/ApiKey.java', 'go/keyform/go.mod', 'dotnet/Keyform/Keyform/ApiKeyConfig.cs'],
    python: 'python/src/keyform/__init__.py',
    goModule: 'github.com/hashicorp/terraform-cdk-go/cdktf',
  },
  cdktn: {
    targets: {
      python: { distName: 'keyform-cdktn', module: 'keyform_cdktn' },
      java: { package: 'io.keyform.cdktn' },
      dotnet: { namespace: 'Keyform.Cdktn' },
      go: { moduleName: 'github.com/keyform/keyform-go', packageName: 'keyformcdktn' },
    },
    bindings: [
      'python/src/keyform_cdktn/__init__.py',
      'java/pom.xml',
      'java/src/main/java/io/keyform/cdktn/ApiKey.java',
      'go/keyformcdktn/go.mod',
      'dotnet/Keyform.Cdktn/Keyform/Cdktn/ApiKeyConfig.cs',
    ],
    python: 'python/src/keyform_cdktn/__init__.py',
    goModule: 'github.com/open-constructs/cdk-terrain-go/cdktn',
  },
} as const;

describe.each(JSII_LINES)('on the $framework line', (line) => {
  const expected = EXPECTED[line.framework];
  let artifacts: JsiiArtifacts;

  beforeAll(async () => {
    artifacts = await jsiiArtifacts(line);
  }, 600_000);

  /** A type of keyform's assembly on this line, e.g. `keyform-cdktn.ApiKey`. */
  const kf = (name: string): string => `${line.assembly}.${name}`;
  /** A type of the line's framework, e.g. `cdktn.App`. */
  const fw = (name: string): string => `${line.framework}.${name}`;

  describe('the jsii runtime bridge', () => {
    let host: JsiiHost;
    let outdir: string;

    beforeAll(async () => {
      host = new JsiiHost(artifacts);
      expect(await host.hello()).toEqual({ hello: `@jsii/runtime@${RUNTIME_VERSION}` });
      // Dependencies first, as every jsii host does.
      let loaded: any;
      for (const pkg of artifacts.packages) loaded = await host.load(pkg.name, pkg.version, pkg.tarball);
      expect(loaded.assembly).toBe(line.assembly);
    }, 120_000);

    afterAll(async () => {
      await host?.close();
    });

    beforeEach(() => {
      outdir = mkdtempSync(join(tmpdir(), 'keyform-jsii-out-'));
    });

    afterEach(() => rmSync(outdir, { recursive: true, force: true }));

    async function newStack(): Promise<{ app: ObjRef; stack: ObjRef }> {
      const app = await host.create(fw('App'), [struct(fw('AppConfig'), { outdir })]);
      const stack = await host.create(fw('TerraformStack'), [app, 'assistants']);
      return { app, stack };
    }

    test('GIVEN a program written against the bindings WHEN it synthesizes THEN cdk.tf.json holds the credentials', async () => {
      const { app, stack } = await newStack();
      await host.create(kf('KeyformProvider'), [stack, 'keyform', struct(kf('KeyformProviderConfig'), { endpoint: 'http://127.0.0.1:8080', mid: 'mid_123456' })]);
      const customers = await host.sinvoke(kf('Scope'), 'read', ['customers']);
      const charges = await host.sinvoke(kf('Scope'), 'parse', ['charges:read']);
      expect(await host.invoke(charges, 'toString')).toBe('charges:read');
      const every = await host.sinvoke(kf('Duration'), 'days', [90]);
      const grace = await host.sinvoke(kf('Duration'), 'hours', [24]);
      const key = await host.create(kf('ApiKey'), [
        stack,
        'support',
        struct(kf('ApiKeyConfig'), {
          name: 'support-assistant',
          type: enumValue(kf('KeyType'), 'SECRET'),
          scopes: [customers, charges],
          rotation: struct(kf('ApiKeyRotation'), { every, gracePeriod: grace }),
        }),
      ]);
      expect(await host.get(key, 'fingerprint')).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\}$/);

      const mcp = await host.sget(kf('Capability'), 'MCP');
      const api = await host.sget(kf('Capability'), 'API');
      const auth = await host.create(kf('OAuthAuthorization'), [
        stack,
        'claude-code',
        struct(kf('OAuthAuthorizationConfig'), { name: 'claude-code', ownerId: 'usr_alice', mode: enumValue(kf('KeyMode'), 'TEST'), capabilities: [mcp, api] }),
      ]);
      const access = await host.invoke(auth, 'grantProject', ['proj_payments', enumValue(kf('ProjectRole'), 'VIEWER')]);
      expect(access['$jsii.byref']).toMatch(new RegExp(`^${kf('ProjectAccess')}@`));
      const grant = await host.invoke(auth, 'grantMcpServer', ['billing-flow', struct(kf('McpServerGrantOptions'), { project: 'proj_payments' })]);
      expect(grant['$jsii.byref']).toMatch(new RegExp(`^${kf('McpServerGrant')}@`));
      await host.invoke(auth, 'grantMcpServer', ['refunds-flow']);

      const policy = await host.sinvoke(kf('CredentialPolicy'), 'addTo', [stack]);
      expect(policy['$jsii.byref']).toMatch(new RegExp(`^${kf('CredentialPolicy')}@`));
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
        mode: 'test',
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
      await host.create(kf('KeyformProvider'), [stack, 'keyform', struct(kf('KeyformProviderConfig'), {})]);
      const typo = await host.sinvoke(kf('Scope'), 'read', ['custmers']);
      await host.sinvoke(kf('ApiKey'), 'readOnly', [stack, 'support', struct(kf('ReadOnlyApiKeyProps'), { name: 'support', scopes: [typo] })]);
      const error = await host.invoke(app, 'synth').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(JsiiError);
      expect((error as JsiiError).message).toContain('KF-RULE-011 at assistants/support: unknown scope "custmers:read". Fix: did you mean "customers:read"?');
    });

    test('a policy error fails synth in the host, and an acknowledgement from the host silences it', async () => {
      const { app, stack } = await newStack();
      await host.create(kf('KeyformProvider'), [stack, 'keyform', struct(kf('KeyformProviderConfig'), {})]);
      const key = await host.create(kf('ApiKey'), [stack, 'legacy', struct(kf('ApiKeyConfig'), { name: 'legacy', type: enumValue(kf('KeyType'), 'SECRET') })]);
      await host.sinvoke(kf('CredentialPolicy'), 'addTo', [stack]);
      await expect(host.invoke(app, 'synth')).rejects.toThrow(/KF101 \[error\] at assistants\/legacy/);

      const { app: app2, stack: stack2 } = await newStack();
      await host.create(kf('KeyformProvider'), [stack2, 'keyform', struct(kf('KeyformProviderConfig'), {})]);
      const key2 = await host.create(kf('ApiKey'), [stack2, 'legacy', struct(kf('ApiKeyConfig'), { name: 'legacy', type: enumValue(kf('KeyType'), 'SECRET') })]);
      await host.sinvoke(kf('CredentialPolicy'), 'addTo', [stack2]);
      await host.sinvoke(kf('CredentialPolicy'), 'acknowledge', [key2, 'KF101', 'legacy integration, removed by 2027-03']);
      await host.invoke(app2, 'synth');
      expect(key).toBeDefined();
    });

    if (line.framework === 'cdktn') {
      test('the run-token construct (cdktn only) configures an aliased provider from the host', async () => {
        const targetVersions = { terraform: '>=1.10.0' };
        const app = await host.create(fw('App'), [struct(fw('AppConfig'), { outdir, context: { targetVersions } })]);
        const stack = await host.create(fw('TerraformStack'), [app, 'assistants']);
        await host.create(kf('KeyformProvider'), [stack, 'keyform', struct(kf('KeyformProviderConfig'), { mid: 'mid_123456' })]);
        const token = await host.create(kf('EphemeralKeyformAccessToken'), [stack, 'run', struct(kf('EphemeralKeyformAccessTokenConfig'), {})]);
        const accessToken = await host.get(token, 'accessToken');
        await host.create(kf('KeyformProvider'), [stack, 'keyform-run', struct(kf('KeyformProviderConfig'), { alias: 'run', token: accessToken })]);
        await host.invoke(app, 'synth');
        const tf = JSON.parse(readFileSync(join(outdir, 'stacks', 'assistants', 'cdk.tf.json'), 'utf8'));
        expect(Object.keys(tf.ephemeral.keyform_access_token)).toEqual(['run']);
        expect(tf.provider.keyform).toContainEqual({ alias: 'run', token: '${ephemeral.keyform_access_token.run.access_token}' });
      });
    }

    test('a wrong argument from the host is rejected with the jsii type error', async () => {
      const { stack } = await newStack();
      await expect(
        host.create(kf('ApiKey'), [stack, 'k', struct(kf('ApiKeyConfig'), { name: 'k', type: 'secret' })]),
      ).rejects.toThrow(/KeyType/);
    });
  });

  describe('the .jsii assembly', () => {
    let assembly: any;

    beforeAll(() => {
      assembly = JSON.parse(readFileSync(join(artifacts.buildDir, '.jsii'), 'utf8'));
    });

    const typeOf = (name: string) => assembly.types[kf(name)];
    const propertyNames = (name: string) => (typeOf(name).properties ?? []).map((p: any) => p.name).sort();

    test('the assembly is named for its line, targets four languages and depends on its framework and constructs only', () => {
      expect(assembly.name).toBe(line.assembly);
      expect(Object.keys(assembly.dependencies).sort()).toEqual([line.framework, 'constructs'].sort());
      expect(assembly.targets).toMatchObject(expected.targets);
    });

    test('every fixed construct name is exported', () => {
      const names = Object.keys(assembly.types).map((fqn) => fqn.slice(line.assembly.length + 1));
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
      expect(typeOf('ApiKey').base).toBe(fw('TerraformResource'));
      expect(typeOf('KeyformProvider').base).toBe(fw('TerraformProvider'));
      expect(typeOf('DataKeyformApiKey').base).toBe(fw('TerraformDataSource'));
      expect(typeOf('CredentialPolicy').interfaces).toEqual([fw('IAspect')]);
      // The ephemeral token exists where the framework has ephemeral resources, and only there.
      if (line.framework === 'cdktn') expect(typeOf('EphemeralKeyformAccessToken').base).toBe(fw('TerraformEphemeralResource'));
      else expect(names.filter((n) => /Ephemeral/.test(n))).toEqual([]);
    });

    test.each([
      { struct: 'ApiKeyConfig', fields: ['description', 'expiresAt', 'mid', 'mode', 'name', 'rotation', 'scopes', 'secretDelivery', 'type'] },
      { struct: 'ApiKeyRotation', fields: ['every', 'gracePeriod'] },
      { struct: 'ApiKeySecretDelivery', fields: ['command', 'env', 'file', 'inheritEnv', 'timeout'] },
      { struct: 'OAuthAuthorizationConfig', fields: ['capabilities', 'kind', 'mode', 'name', 'ownerId', 'secretDelivery'] },
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
      expect(propertyNames('McpAssistantProps')).toEqual(['additionalCapabilities', 'kind', 'mcpServerIds', 'mode', 'name', 'ownerId', 'projectId', 'role']);
      expect(methods('Scope')).toEqual(expect.arrayContaining(['read', 'write', 'parse', 'toString']));
      expect(methods('CredentialPolicy')).toEqual(expect.arrayContaining(['acknowledge', 'visit', 'rules']));
      expect(propertyNames('ApiKey')).toEqual(expect.arrayContaining(['id', 'value', 'prefix', 'fingerprint', 'createdAt', 'version', 'rotatedAt']));
    });

    test('code-only bindings exist for Python, Java, Go and .NET', () => {
      const dist = join(artifacts.buildDir, 'dist');
      expect(expected.bindings.filter((file) => !existsSync(join(dist, file)))).toEqual([]);
      const python = readFileSync(join(dist, expected.python), 'utf8');
      expect(python).toContain('def grant_mcp_server(');
      // Each binding imports its own framework and never the other line's.
      expect(python).toMatch(new RegExp(`^import ${line.framework} as `, 'm'));
      expect(python).not.toMatch(new RegExp(`^import ${line.framework === 'cdktf' ? 'cdktn' : 'cdktf'} as `, 'm'));
      const goMod = readFileSync(join(dist, expected.bindings.find((f) => f.endsWith('go.mod'))!), 'utf8');
      expect(goMod).toContain(`${expected.goModule} v${artifacts.packages[1].version}`);
      expect(goMod).not.toContain(EXPECTED[line.framework === 'cdktf' ? 'cdktn' : 'cdktf'].goModule);
    });

    test('a build with unchanged inputs is reused instead of rebuilt', () => {
      const out = execFileSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'jsii-build.mjs'), '--out', join(artifacts.buildDir, '..'), '--line', line.framework], { encoding: 'utf8' });
      expect(out).toMatch(new RegExp(`^jsii build: ${line.framework} up to date in .* \\([0-9a-f]{12}\\)\\n$`));
    });

    test('no internal helper leaks into the API', () => {
      const names = Object.keys(assembly.types);
      expect(names.filter((n) => /hcl|checks|RULES|GENERATOR/i.test(n))).toEqual([]);
      expect(propertyNames('McpServerGrant')).not.toContain('_authorization');
    });
  });
});
