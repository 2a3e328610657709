import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
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
  KeyMode,
  KeyType,
  McpServerGrant,
  OAuthAuthorization,
  ProjectAccess,
  ProjectRole,
  Scope,
} from '../../src';
import { newStack, synthJson } from './support/harness';

describe('synthesized Terraform JSON', () => {
  test('the provider declares type keyform, source keyform/keyform and a ~> major.minor constraint', () => {
    const { stack } = newStack({ endpoint: 'http://127.0.0.1:8080', mid: 'mid_123456', allowLive: true });
    const json = synthJson(stack);
    expect(json.terraform.required_providers.keyform).toEqual({ source: 'keyform/keyform', version: '~> 0.1' });
    expect(json).toMatchSnapshot();
  });

  test('an api key renders every argument with the fixed names', () => {
    const { stack } = newStack({ allowLive: true });
    new ApiKey(stack, 'payments', {
      mid: 'mid_123456',
      name: 'payment-service',
      type: KeyType.SECRET,
      mode: KeyMode.LIVE,
      scopes: [Scope.write('refunds'), Scope.read('charges')],
      description: 'refunds from the payment service',
      expiresAt: '2027-01-31T00:00:00Z',
      rotation: { every: Duration.days(90), gracePeriod: Duration.hours(24) },
      secretDelivery: { file: '/run/secrets/payments-key' },
    });
    expect(synthJson(stack).resource.keyform_api_key).toMatchSnapshot();
  });

  test('the read-only preset is a test-mode secret key', () => {
    const { stack } = newStack();
    ApiKey.readOnly(stack, 'support', { name: 'support-assistant', scopes: [Scope.read('customers'), Scope.parse('charges:read')] });
    expect(synthJson(stack).resource.keyform_api_key.support).toEqual({
      name: 'support-assistant',
      type: 'secret',
      mode: 'test',
      scopes: ['customers:read', 'charges:read'],
    });
  });

  test('an authorization with project access and MCP-server grants orders each grant after its project access', () => {
    const { stack } = newStack();
    const auth = new OAuthAuthorization(stack, 'claude-code', {
      name: 'claude-code',
      ownerId: 'usr_alice',
      capabilities: [Capability.MCP, Capability.API],
    });
    auth.grantProject('proj_payments', ProjectRole.VIEWER);
    auth.grantMcpServer('billing-flow', { project: 'proj_payments' });
    auth.grantMcpServer('refunds-flow');
    const json = synthJson(stack);
    expect(json.resource).toMatchSnapshot();
    const access = Object.keys(json.resource.keyform_project_access)[0];
    for (const grant of Object.values<any>(json.resource.keyform_mcp_server_grant)) {
      expect(grant.depends_on).toEqual([`keyform_project_access.${access}`]);
      expect(grant.authorization_id).toBe('${keyform_oauth_authorization.claude-code.id}');
    }
  });

  test('the MCP-assistant preset equals the hand-written authorization, project access and grants', () => {
    const byHand = newStack();
    const auth = new OAuthAuthorization(byHand.stack, 'claude-code', { name: 'claude-code', ownerId: 'usr_alice', capabilities: [Capability.MCP, Capability.API] });
    auth.grantProject('proj_payments', ProjectRole.VIEWER);
    auth.grantMcpServer('billing-flow', { project: 'proj_payments' });
    auth.grantMcpServer('refunds-flow', { project: 'proj_payments' });

    const preset = newStack();
    OAuthAuthorization.mcpAssistant(preset.stack, 'claude-code', {
      name: 'claude-code',
      ownerId: 'usr_alice',
      projectId: 'proj_payments',
      mcpServerIds: ['billing-flow', 'refunds-flow'],
      additionalCapabilities: [Capability.API],
    });
    expect(synthJson(preset.stack)).toEqual(synthJson(byHand.stack));
  });

  test('a project granted after the MCP server still orders the grant after it', () => {
    const { stack } = newStack();
    const auth = new OAuthAuthorization(stack, 'a', { name: 'a', ownerId: 'usr_alice', capabilities: [Capability.MCP] });
    auth.grantMcpServer('billing-flow');
    auth.grantProject('proj_payments', ProjectRole.EDITOR);
    const grant = Object.values<any>(synthJson(stack).resource.keyform_mcp_server_grant)[0];
    expect(grant.depends_on).toHaveLength(1);
  });

  test('granting the same project or server twice returns the same construct', () => {
    const { stack } = newStack();
    const auth = new OAuthAuthorization(stack, 'a', { name: 'a', ownerId: 'usr_alice', capabilities: [Capability.MCP] });
    expect(auth.grantProject('proj_payments', ProjectRole.VIEWER)).toBe(auth.grantProject('proj_payments', ProjectRole.VIEWER));
    expect(auth.grantMcpServer('billing-flow')).toBe(auth.grantMcpServer('billing-flow'));
  });

  test('L1 project access and MCP-server grant render their arguments', () => {
    const { stack } = newStack();
    const auth = new OAuthAuthorization(stack, 'a', { name: 'a', ownerId: 'usr_bob', kind: AuthorizationKind.API_KEY, capabilities: [Capability.MCP] });
    const access = new ProjectAccess(stack, 'access', { authorizationId: auth.id, projectId: 'proj_support', role: ProjectRole.VIEWER });
    new McpServerGrant(stack, 'grant', { authorizationId: auth.id, mcpServerId: 'support-kb', dependsOn: [access] });
    expect(synthJson(stack).resource).toMatchSnapshot();
  });

  test('data sources render their arguments and expose computed attributes as references', () => {
    const { stack } = newStack();
    const scopes = new DataKeyformScopes(stack, 'scopes');
    const projects = new DataKeyformProjects(stack, 'projects');
    const servers = new DataKeyformMcpServers(stack, 'servers', { projectId: 'proj_payments' });
    const key = new DataKeyformApiKey(stack, 'existing', { keyId: 'key_123' });
    new TerraformOutput(stack, 'scope_list', { value: scopes.scopes });
    new TerraformOutput(stack, 'project_list', { value: projects.projects });
    new TerraformOutput(stack, 'server_list', { value: servers.servers });
    new TerraformOutput(stack, 'ids', { value: [projects.ids, servers.ids, scopes.items, key.status, key.version, key.rotatedAt, key.description] });
    new TerraformOutput(stack, 'fingerprint', { value: key.fingerprint });
    expect(synthJson(stack)).toMatchSnapshot();
  });

  test('computed attributes are references; the value is usable in a sensitive output', () => {
    const { stack } = newStack();
    const key = ApiKey.readOnly(stack, 'k', { name: 'k', scopes: [Scope.read('customers')] });
    const auth = new OAuthAuthorization(stack, 'a', { name: 'a', ownerId: 'usr_alice' });
    new TerraformOutput(stack, 'value', { value: key.value, sensitive: true });
    new TerraformOutput(stack, 'refs', {
      value: [key.id, key.prefix, key.fingerprint, key.createdAt, key.rotatedAt, auth.clientId, auth.fingerprint],
    });
    new TerraformOutput(stack, 'version', { value: key.version });
    const outputs = synthJson(stack).output;
    expect(outputs.value).toEqual({ value: '${keyform_api_key.k.value}', sensitive: true });
    expect(outputs.refs.value).toEqual([
      '${keyform_api_key.k.id}',
      '${keyform_api_key.k.prefix}',
      '${keyform_api_key.k.fingerprint}',
      '${keyform_api_key.k.created_at}',
      '${keyform_api_key.k.rotated_at}',
      '${keyform_oauth_authorization.a.client_id}',
      '${keyform_oauth_authorization.a.fingerprint}',
    ]);
    expect(outputs.version.value).toBe('${keyform_api_key.k.version}');
  });

  test('tokens pass through names and scopes unvalidated', () => {
    const { stack } = newStack();
    const name = new TerraformVariable(stack, 'key_name', { type: 'string' });
    const scope = new TerraformVariable(stack, 'scope', { type: 'string' });
    new ApiKey(stack, 'k', { name: name.stringValue, type: KeyType.PUBLIC, scopes: [Scope.parse(scope.stringValue)] });
    const key = synthJson(stack).resource.keyform_api_key.k;
    expect(key).toEqual({ name: '${var.key_name}', type: 'public', scopes: ['${var.scope}'] });
  });

  test('an aliased provider is referenced by the resources that use it', () => {
    const { stack } = newStack();
    const sandbox = new KeyformProvider(stack, 'sandbox', { alias: 'sandbox', endpoint: 'http://127.0.0.1:9' });
    const auth = new OAuthAuthorization(stack, 'a', { name: 'a', ownerId: 'usr_alice', capabilities: [Capability.MCP], provider: sandbox });
    auth.grantProject('proj_payments', ProjectRole.VIEWER);
    const json = synthJson(stack);
    expect(json.provider.keyform).toEqual([{}, { alias: 'sandbox', endpoint: 'http://127.0.0.1:9' }]);
    expect(json.resource.keyform_oauth_authorization.a.provider).toBe('keyform.sandbox');
    expect(Object.values<any>(json.resource.keyform_project_access)[0].provider).toBe('keyform.sandbox');
  });
});

describe('HCL output', () => {
  test('cdktf\'s HCL synth renders arguments, rotation and secret delivery as blocks', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'keyform-hcl-'));
    const previous = process.env.SYNTH_HCL_OUTPUT;
    process.env.SYNTH_HCL_OUTPUT = 'true';
    try {
      const app = new App({ outdir });
      const stack = new TerraformStack(app, 'hcl');
      new KeyformProvider(stack, 'keyform', { mid: 'mid_123456', allowLive: true });
      new ApiKey(stack, 'payments', {
        name: 'payments',
        type: KeyType.SECRET,
        mode: KeyMode.LIVE,
        scopes: [Scope.write('refunds')],
        rotation: { every: Duration.days(90), gracePeriod: Duration.hours(24) },
        secretDelivery: { command: 'vault kv put secret/payments value=-' },
      });
      const auth = new OAuthAuthorization(stack, 'claude', { name: 'claude-code', ownerId: 'usr_alice', capabilities: [Capability.MCP] });
      auth.grantProject('proj_payments', ProjectRole.VIEWER);
      auth.grantMcpServer('billing-flow');
      new DataKeyformMcpServers(stack, 'servers', { projectId: 'proj_payments' });
      app.synth();
      const hcl = readFileSync(join(outdir, 'stacks', 'hcl', 'cdk.tf'), 'utf8').replace(/\n+/g, '\n');
      expect(hcl).toContain('provider "keyform" {\nmid = "mid_123456"\nallow_live = true\n}');
      expect(hcl).toContain(
        'resource "keyform_api_key" "payments" {\nname = "payments"\ntype = "secret"\nmode = "live"\nscopes = [\n"refunds:write"\n]\n' +
          'rotation {\nevery = "90d"\ngrace_period = "24h"\n}\nsecret_delivery {\ncommand = "vault kv put secret/payments value=-"\n}\n}',
      );
      expect(hcl).toContain('resource "keyform_oauth_authorization" "claude" {\nname = "claude-code"\nkind = "oauth2"\nowner_id = "usr_alice"\ncapabilities = [\n"mcp"\n]\n}');
      expect(hcl).toMatch(/resource "keyform_mcp_server_grant" "claude_Mcp-billing-flow_\w+" \{\nauthorization_id = "\$\{keyform_oauth_authorization.claude.id\}"\nmcp_server_id = "billing-flow"\ndepends_on = \[/);
      expect(hcl).toContain('data "keyform_mcp_servers" "servers" {\nproject_id = "proj_payments"\n}');
    } finally {
      if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
      else process.env.SYNTH_HCL_OUTPUT = previous;
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('value classes', () => {
  test.each([
    { reason: 'days', duration: Duration.days(90), text: '90d', seconds: 7776000 },
    { reason: 'hours', duration: Duration.hours(24), text: '24h', seconds: 86400 },
    { reason: 'minutes', duration: Duration.minutes(30), text: '30m', seconds: 1800 },
    { reason: 'seconds', duration: Duration.seconds(45), text: '45s', seconds: 45 },
    { reason: 'parsed', duration: Duration.parse('7d'), text: '7d', seconds: 604800 },
    { reason: 'weeks', duration: Duration.weeks(2), text: '2w', seconds: 1209600 },
  ])('Duration renders $reason as $text', ({ duration, text, seconds }) => {
    expect(duration.toString()).toBe(text);
    expect(duration.toSeconds()).toBe(seconds);
  });

  test.each([
    { reason: 'negative', make: () => Duration.hours(-1) },
    { reason: 'fraction', make: () => Duration.days(1.5) },
    { reason: 'unknown unit', make: () => Duration.parse('3y') },
    { reason: 'units out of order', make: () => Duration.parse('30m1h') },
  ])('Duration rejects $reason with the rulebook\'s duration rule (KF-RULE-050)', ({ make }) => {
    expect(make).toThrow(/^KF-RULE-050: duration ".*" is not a duration \(.*\)\. Fix: write a whole number and a unit/);
  });

  test.each([
    { reason: 'zero (a grace period may be zero, as the provider and the API allow)', make: () => Duration.seconds(0), text: '0s', seconds: 0 },
    { reason: 'a combination, as the provider reads it, kept in seconds', make: () => Duration.parse('1h30m'), text: '5400s', seconds: 5400 },
  ])('Duration accepts $reason', ({ make, text, seconds }) => {
    expect(make().toString()).toBe(text);
    expect(make().toSeconds()).toBe(seconds);
  });

  test('Scope builds, parses and prints resource:access', () => {
    expect(Scope.read('customers').toString()).toBe('customers:read');
    expect(Scope.write('refunds').toString()).toBe('refunds:write');
    const parsed = Scope.parse('charges:read');
    expect([parsed.resource, parsed.access, parsed.isWrite, parsed.isKnown]).toEqual(['charges', 'read', false, true]);
    expect(Scope.write('refunds').isWrite).toBe(true);
    expect(Scope.all().map(String)).toContain('payment_intents:write');
    expect(Scope.resources()).toContain('checkout_sessions');
  });

  test('Capability has one constant per catalog capability', () => {
    expect([Capability.MCP, Capability.API, Capability.APPS_VIEW, Capability.APPS_ADMIN, Capability.FLOWS_EDIT, Capability.SECRETS_EDIT, Capability.ENDPOINTS_ACCESS].map(String)).toEqual(
      Capability.all().map(String),
    );
    expect(Capability.APPS_ADMIN.prerequisite).toBe('apps:view');
    expect(Capability.of('mcp').description).toBe('allows access to MCP servers');
  });
});
