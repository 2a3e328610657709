/**
 * The constructs' synth output is what keyform's provider expects: a stack using every construct
 * (provider, the four resources, the four data sources) is applied by the real Terraform CLI through
 * the provider against the reference server, and its next plan is empty. Requires `npm run build`.
 */
import { join, resolve } from 'node:path';
import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import {
  ApiKey,
  AuthorizationKind,
  Capability,
  DataKeyformApiKey,
  DataKeyformMcpServers,
  DataKeyformProjects,
  DataKeyformScopes,
  Duration,
  KeyformProvider,
  KeyType,
  McpServerGrant,
  OAuthAuthorization,
  ProjectAccess,
  ProjectRole,
  Scope,
} from '../../src';
import { startTestServer, TestServer } from '../support/server';
import { installTestProvider, TerraformWorkdir, TestProvider } from '../support/terraform';

jest.setTimeout(180_000);

const ROOT = resolve(__dirname, '..', '..');

function everyConstruct(): object {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'compat');
  new KeyformProvider(stack, 'keyform', { mid: 'mid_123456' });

  const key = new ApiKey(stack, 'publishable', {
    name: 'storefront',
    type: KeyType.PUBLIC,
    scopes: [Scope.read('prices'), Scope.read('products')],
    description: 'browser checkout',
    expiresAt: '2030-01-31T00:00:00Z',
  });
  ApiKey.readOnly(stack, 'support', {
    name: 'support-assistant',
    scopes: [Scope.read('customers')],
    rotation: { every: Duration.days(30), gracePeriod: Duration.hours(12) },
  });

  const auth = new OAuthAuthorization(stack, 'ci', { name: 'ci-bot', ownerId: 'usr_bob', kind: AuthorizationKind.API_KEY, capabilities: [Capability.MCP, Capability.API] });
  const access = new ProjectAccess(stack, 'support-access', { authorizationId: auth.id, projectId: 'proj_support', role: ProjectRole.VIEWER });
  new McpServerGrant(stack, 'kb', { authorizationId: auth.id, mcpServerId: 'support-kb', dependsOn: [access] });

  const scopes = new DataKeyformScopes(stack, 'scopes');
  const projects = new DataKeyformProjects(stack, 'projects');
  const servers = new DataKeyformMcpServers(stack, 'servers', { projectId: 'proj_payments' });
  const existing = new DataKeyformApiKey(stack, 'existing', { keyId: key.id });

  new TerraformOutput(stack, 'scope_count', { value: `\${length(${scopes.fqn}.scopes)}` });
  new TerraformOutput(stack, 'project_ids', { value: projects.ids });
  new TerraformOutput(stack, 'server_ids', { value: servers.ids });
  new TerraformOutput(stack, 'existing_key', { value: { name: existing.name, type: existing.type, mode: existing.mode, prefix: existing.prefix } });
  return JSON.parse(Testing.synth(stack, true));
}

describe('constructs against the provider', () => {
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

  test('GIVEN a stack using every construct WHEN applied THEN the provider accepts it, data sources read, and the next plan is empty', async () => {
    work.writeConfig(everyConstruct());
    const applied = await work.apply();
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);

    const outputs = JSON.parse((await work.run(['output', '-json'])).stdout);
    expect(outputs.scope_count.value).toBeGreaterThanOrEqual(20);
    expect(outputs.project_ids.value).toEqual(['proj_payments', 'proj_platform', 'proj_support']);
    expect(outputs.server_ids.value).toEqual(['billing-flow', 'refunds-flow']);
    expect(outputs.existing_key.value).toEqual({ name: 'storefront', type: 'public', mode: 'test', prefix: 'fpk_test_' });

    expect((await work.plan()).code).toBe(0);
    expect((await work.destroy()).code).toBe(0);
  });
});
