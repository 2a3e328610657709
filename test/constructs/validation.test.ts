import { TerraformStack, Testing, TerraformVariable } from 'cdktf';
import {
  ApiKey,
  Capability,
  CredentialPolicy,
  Duration,
  KeyformProvider,
  KeyMode,
  KeyType,
  OAuthAuthorization,
  ProjectAccess,
  ProjectRole,
  Scope,
} from '../../src';
import { newStack, validationErrors } from './support/harness';

type Build = (stack: TerraformStack) => void;

const secretKey = (stack: TerraformStack, scopes: Scope[], extra: Partial<ConstructorParameters<typeof ApiKey>[2]> = {}) =>
  new ApiKey(stack, 'key', { name: 'svc', type: KeyType.SECRET, scopes, ...extra });

const authorization = (stack: TerraformStack, capabilities: Capability[]) =>
  new OAuthAuthorization(stack, 'auth', { name: 'claude-code', ownerId: 'usr_alice', capabilities });

/** Each validation with a compliant and a non-compliant construction; messages are pinned. */
const CASES: Array<{ reason: string; compliant: Build; violating: Build; messages: string[] }> = [
  {
    reason: 'KF-RULE-011 unknown scope, with a did-you-mean for a typo',
    compliant: (s) => secretKey(s, [Scope.read('customers')]),
    violating: (s) => secretKey(s, [Scope.read('custmers')]),
    messages: [
      'KF-RULE-011 at test/key: unknown scope "custmers:read". Fix: did you mean "customers:read"? Scopes are <resource>:read or <resource>:write over the catalog (the keyform_scopes data source and DataKeyformScopes list it).',
    ],
  },
  {
    reason: 'KF-RULE-011 unknown scope without a close match',
    compliant: (s) => secretKey(s, [Scope.parse('charges:read')]),
    violating: (s) => secretKey(s, [Scope.parse('everything')]),
    messages: ['KF-RULE-011 at test/key: unknown scope "everything". Fix: scopes are <resource>:read or <resource>:write over the catalog (the keyform_scopes data source and DataKeyformScopes list it).'],
  },
  {
    reason: 'KF-RULE-003 "<" or ">" in a key name',
    compliant: (s) => new ApiKey(s, 'key', { name: 'support assistant (read)', type: KeyType.SECRET, scopes: [Scope.read('customers')] }),
    violating: (s) => new ApiKey(s, 'key', { name: '<script>', type: KeyType.SECRET, scopes: [Scope.read('customers')] }),
    messages: ['KF-RULE-003 at test/key: name "<script>" contains "<" or ">". Fix: remove "<" and ">" from the name (the API requires ^[^<>]*$).'],
  },
  {
    reason: 'KF-RULE-003 "<" or ">" in an authorization name',
    compliant: (s) => new OAuthAuthorization(s, 'auth', { name: 'claude-code', ownerId: 'usr_alice' }),
    violating: (s) => new OAuthAuthorization(s, 'auth', { name: 'a>b', ownerId: 'usr_alice' }),
    messages: ['KF-RULE-003 at test/auth: name "a>b" contains "<" or ">". Fix: remove "<" and ">" from the name (the API requires ^[^<>]*$).'],
  },
  {
    reason: 'KF-RULE-010 empty scope',
    compliant: (s) => secretKey(s, [Scope.read('customers')]),
    violating: (s) => secretKey(s, [Scope.read('customers'), Scope.parse('')]),
    messages: ["KF-RULE-010 at test/key: scope #2 is empty. Fix: remove the empty entry or name a scope such as customers:read (Scope.read('customers'))."],
  },
  {
    reason: 'KF-RULE-012 duplicate scope',
    compliant: (s) => secretKey(s, [Scope.read('refunds'), Scope.write('refunds')]),
    violating: (s) => secretKey(s, [Scope.read('refunds'), Scope.parse('refunds:read')]),
    messages: ['KF-RULE-012 at test/key: scope "refunds:read" is listed more than once. Fix: list each scope once.'],
  },
  {
    reason: 'KF-RULE-022 apps:admin without apps:view',
    compliant: (s) => authorization(s, [Capability.APPS_VIEW, Capability.APPS_ADMIN]),
    violating: (s) => authorization(s, [Capability.APPS_ADMIN]),
    messages: ['KF-RULE-022 at test/auth: capability "apps:admin" requires capability "apps:view". Fix: add "apps:view" to the capabilities, or remove "apps:admin".'],
  },
  {
    reason: 'KF-CONSTRUCT-006 MCP grant without any project access',
    compliant: (s) => {
      const a = authorization(s, [Capability.MCP]);
      a.grantProject('proj_payments', ProjectRole.VIEWER);
      a.grantMcpServer('billing-flow');
    },
    violating: (s) => authorization(s, [Capability.MCP]).grantMcpServer('billing-flow'),
    messages: [
      "KF-CONSTRUCT-006 at test/auth/Mcp-billing-flow: MCP server \"billing-flow\" is granted, but the authorization has no project access. Fix: call grantProject('<project id>', ProjectRole.VIEWER) on the authorization (an MCP server is reachable only through its project).",
    ],
  },
  {
    reason: 'KF-CONSTRUCT-006 MCP grant naming a project that was not granted',
    compliant: (s) => {
      const a = authorization(s, [Capability.MCP]);
      a.grantProject('proj_support', ProjectRole.VIEWER);
      a.grantMcpServer('support-kb', { project: 'proj_support' });
    },
    violating: (s) => {
      const a = authorization(s, [Capability.MCP]);
      a.grantProject('proj_support', ProjectRole.VIEWER);
      a.grantMcpServer('billing-flow', { project: 'proj_payments' });
    },
    messages: [
      "KF-CONSTRUCT-006 at test/auth/Mcp-billing-flow: MCP server \"billing-flow\" is granted for project \"proj_payments\", but the authorization has no access to that project. Fix: call grantProject('proj_payments', ProjectRole.VIEWER) on the authorization (an MCP server is reachable only through its project).",
    ],
  },
  {
    reason: 'KF-CONSTRUCT-007 MCP grant without the mcp capability',
    compliant: (s) => {
      const a = authorization(s, [Capability.MCP, Capability.API]);
      a.grantProject('proj_payments', ProjectRole.VIEWER);
      a.grantMcpServer('billing-flow');
    },
    violating: (s) => {
      const a = authorization(s, [Capability.API]);
      a.grantProject('proj_payments', ProjectRole.VIEWER);
      a.grantMcpServer('billing-flow');
    },
    messages: [
      'KF-CONSTRUCT-007 at test/auth/Mcp-billing-flow: MCP server "billing-flow" is granted, but the authorization lacks capability "mcp". Fix: add Capability.MCP to the authorization\'s capabilities.',
    ],
  },
  {
    reason: 'KF-CONSTRUCT-008 live key with a provider that does not allow live',
    compliant: (s) => {
      new KeyformProvider(s, 'live-provider', { alias: 'live', allowLive: true });
      secretKey(s, [Scope.read('charges')], { mode: KeyMode.LIVE, provider: s.node.findChild('live-provider') as KeyformProvider, expiresAt: '2027-01-01T00:00:00Z' });
    },
    violating: (s) => secretKey(s, [Scope.read('charges')], { mode: KeyMode.LIVE, expiresAt: '2027-01-01T00:00:00Z' }),
    messages: [
      'KF-CONSTRUCT-008 at test/key: mode is LIVE but the keyform provider does not set allowLive. Fix: set allowLive: true on the KeyformProvider this key uses (live keys act on real money), or use KeyMode.TEST.',
    ],
  },
  {
    reason: 'KF-RULE-021 duplicate capability',
    compliant: (s) => authorization(s, [Capability.MCP, Capability.API]),
    violating: (s) => authorization(s, [Capability.MCP, Capability.of('mcp')]),
    messages: ['KF-RULE-021 at test/auth: capability "mcp" is listed more than once. Fix: list each capability once.'],
  },
  {
    reason: 'KF-RULE-060 secret delivery with both file and command',
    compliant: (s) => secretKey(s, [Scope.read('charges')], { secretDelivery: { command: 'vault kv put secret/svc value=-' } }),
    violating: (s) => secretKey(s, [Scope.read('charges')], { secretDelivery: { file: 'svc.key', command: 'cat' } }),
    messages: ['KF-RULE-060 at test/key: secretDelivery names both a file and a command. Fix: set exactly one of secretDelivery.file or secretDelivery.command.'],
  },
  {
    reason: 'KF-RULE-061 secret delivery with neither file nor command',
    compliant: (s) => secretKey(s, [Scope.read('charges')], { secretDelivery: { file: '/run/secrets/svc' } }),
    violating: (s) => secretKey(s, [Scope.read('charges')], { secretDelivery: {} }),
    messages: ['KF-RULE-061 at test/key: secretDelivery names neither a file nor a command. Fix: set one of secretDelivery.file or secretDelivery.command.'],
  },
  {
    reason: 'KF-RULE-052 grace period over the API\'s 30 days (it passed synth and failed at the first rotation before the rulebook)',
    compliant: (s) => secretKey(s, [Scope.read('charges')], { rotation: { every: Duration.days(90), gracePeriod: Duration.days(30) } }),
    violating: (s) => secretKey(s, [Scope.read('charges')], { rotation: { every: Duration.days(90), gracePeriod: Duration.days(31) } }),
    messages: ["KF-RULE-052 at test/key: grace period 31d is longer than the API's 30 days. Fix: shorten it to at most 30d."],
  },
  {
    reason: 'KF-RULE-051 zero rotation interval',
    compliant: (s) => secretKey(s, [Scope.read('charges')], { rotation: { every: Duration.days(1) } }),
    violating: (s) => secretKey(s, [Scope.read('charges')], { rotation: { every: Duration.days(0) } }),
    messages: ['KF-RULE-051 at test/key: rotation.every is zero. Fix: rotate at a positive interval such as 90d.'],
  },
  {
    reason: 'KF-RULE-002 name longer than 200 characters (it passed synth and failed terraform validate before the rulebook)',
    compliant: (s) => new ApiKey(s, 'key', { name: 'n'.repeat(200), type: KeyType.PUBLIC }),
    violating: (s) => new ApiKey(s, 'key', { name: 'n'.repeat(201), type: KeyType.PUBLIC }),
    messages: ['KF-RULE-002 at test/key: name is 201 characters long, more than 200. Fix: shorten it to at most 200 characters.'],
  },
  {
    reason: 'KF-RULE-004 control character in a name (it passed synth and failed at the API before the rulebook)',
    compliant: (s) => new ApiKey(s, 'key', { name: 'plain', type: KeyType.PUBLIC }),
    violating: (s) => new ApiKey(s, 'key', { name: 'a\u001b[2Jb', type: KeyType.PUBLIC }),
    messages: ['KF-RULE-004 at test/key: name contains the control character U+001B (ESC, BEL, NUL and the like can rewrite what a terminal or a review shows). Fix: remove it.'],
  },
  {
    reason: 'KF-RULE-006 description over 1000 characters',
    compliant: (s) => secretKey(s, [Scope.read('charges')], { description: 'd'.repeat(1000) }),
    violating: (s) => secretKey(s, [Scope.read('charges')], { description: 'd'.repeat(1001) }),
    messages: ['KF-RULE-006 at test/key: description is 1001 characters long, more than 1000. Fix: shorten it to at most 1000 characters.'],
  },
  {
    reason: 'KF-RULE-040 expiresAt on 30 February (it passed synth and validate and failed at the API before the rulebook)',
    compliant: (s) => secretKey(s, [Scope.read('charges')], { expiresAt: '2028-02-29T00:00:00Z' }),
    violating: (s) => secretKey(s, [Scope.read('charges')], { expiresAt: '2030-02-30T00:00:00Z' }),
    messages: [
      'KF-RULE-040 at test/key: expiresAt "2030-02-30T00:00:00Z" is not an RFC 3339 timestamp. Fix: write it like 2030-01-31T00:00:00Z (a real calendar date, hours 00-23, an uppercase T and Z or an offset such as +01:00).',
    ],
  },
  {
    reason: 'KF-RULE-001 blank name',
    compliant: (s) => new ApiKey(s, 'key', { name: 'x', type: KeyType.PUBLIC }),
    violating: (s) => new ApiKey(s, 'key', { name: '  ', type: KeyType.PUBLIC }),
    messages: ['KF-RULE-001 at test/key: name is blank. Fix: give it a descriptive name such as "support-assistant".'],
  },
  {
    reason: 'KF-RULE-020 unknown capability',
    compliant: (s) => authorization(s, [Capability.of('flows:edit')]),
    violating: (s) => authorization(s, [Capability.of('flows:delete')]),
    messages: [
      'KF-RULE-020 at test/auth: unknown capability "flows:delete". Fix: did you mean "flows:edit"? Use one of mcp, api, apps:view, apps:admin, flows:edit, secrets:edit, endpoints:access.',
    ],
  },
  {
    reason: 'KF-RULE-040 expiresAt that is not RFC 3339',
    compliant: (s) => secretKey(s, [Scope.read('charges')], { expiresAt: '2027-01-31T00:00:00+01:00' }),
    violating: (s) => secretKey(s, [Scope.read('charges')], { expiresAt: '31.01.2027' }),
    messages: [
      'KF-RULE-040 at test/key: expiresAt "31.01.2027" is not an RFC 3339 timestamp. Fix: write it like 2030-01-31T00:00:00Z (a real calendar date, hours 00-23, an uppercase T and Z or an offset such as +01:00).',
    ],
  },
  {
    reason: 'KF-CONSTRUCT-015 write scope on the read-only preset',
    compliant: (s) => ApiKey.readOnly(s, 'key', { name: 'support', scopes: [Scope.read('refunds')] }),
    violating: (s) => ApiKey.readOnly(s, 'key', { name: 'support', scopes: [Scope.write('refunds')] }),
    messages: ['KF-CONSTRUCT-015 at test/key: read-only key lists write scope "refunds:write". Fix: use Scope.read(...) instead, or create a plain ApiKey if the consumer must write.'],
  },
  {
    reason: 'KF-RULE-030 unknown project role on an L1 project access',
    compliant: (s) => new ProjectAccess(s, 'access', { authorizationId: 'auth_1', projectId: 'proj_support', role: ProjectRole.EDITOR }),
    violating: (s) => new ProjectAccess(s, 'access', { authorizationId: 'auth_1', projectId: 'proj_support', role: 'owner' as ProjectRole }),
    messages: ['KF-RULE-030 at test/access: "owner" is not a valid role. Fix: use one of viewer, editor, admin.'],
  },
];

describe('synth-time validation', () => {
  test.each(CASES)('$reason: compliant construction passes', ({ compliant }) => {
    const { stack } = newStack();
    compliant(stack);
    expect(validationErrors(stack)).toEqual([]);
  });

  test.each(CASES)('$reason: violation is reported with code, path and fix', ({ violating, messages }) => {
    const { stack } = newStack();
    violating(stack);
    expect(validationErrors(stack)).toEqual(messages);
  });

  test('GIVEN an invalid key WHEN the app synthesizes THEN synth fails naming the construct path', () => {
    const { app, stack } = newStack();
    secretKey(stack, [Scope.read('custmers')]);
    expect(() => app.synth()).toThrow(/\[test\/key\] KF-RULE-011 at test\/key: unknown scope "custmers:read"/);
  });

  test('every problem of one construct is reported at once', () => {
    const { stack } = newStack();
    new ApiKey(stack, 'key', { name: '<x>', type: KeyType.SECRET, scopes: [Scope.read('nope'), Scope.read('charges'), Scope.read('charges')] });
    expect(validationErrors(stack).map((m) => m.slice(0, 11))).toEqual(['KF-RULE-003', 'KF-RULE-011', 'KF-RULE-012']);
  });

  test('a live key is accepted when the default provider allows live', () => {
    const { stack } = newStack({ allowLive: true });
    secretKey(stack, [Scope.read('charges')], { mode: KeyMode.LIVE });
    expect(validationErrors(stack)).toEqual([]);
  });

  test('a live key is accepted when allowLive is a Terraform variable', () => {
    const { stack } = newStack(false);
    const allow = new TerraformVariable(stack, 'allow_live', { type: 'bool' });
    new KeyformProvider(stack, 'keyform', { allowLive: allow.booleanValue });
    secretKey(stack, [Scope.read('charges')], { mode: KeyMode.LIVE, expiresAt: '2027-01-01T00:00:00Z' });
    expect(validationErrors(stack)).toEqual([]);
  });

  test('a live authorization needs allowLive on its provider, as a live key does (one gate)', () => {
    const denied = newStack().stack;
    new OAuthAuthorization(denied, 'auth', { name: 'assistant', ownerId: 'usr_alice', mode: KeyMode.LIVE, capabilities: [Capability.MCP] });
    expect(validationErrors(denied)).toEqual([expect.stringMatching(/^KF-CONSTRUCT-008 at test\/auth: mode is LIVE but the keyform provider does not set allowLive\./)]);
    const allowed = newStack({ allowLive: true }).stack;
    const live = new OAuthAuthorization(allowed, 'auth', { name: 'assistant', ownerId: 'usr_alice', mode: KeyMode.LIVE, capabilities: [Capability.MCP] });
    expect(validationErrors(allowed)).toEqual([]);
    expect(live.mode).toBe(KeyMode.LIVE);
    const synthesized = JSON.parse(Testing.synth(allowed));
    expect(synthesized.resource.keyform_oauth_authorization.auth.mode).toBe('live');
  });

  test('an authorization without a mode is test and synthesizes no mode (the provider defaults it)', () => {
    const { stack } = newStack();
    const a = new OAuthAuthorization(stack, 'auth', { name: 'assistant', ownerId: 'usr_alice', capabilities: [Capability.MCP] });
    expect(a.mode).toBe(KeyMode.TEST);
    expect(validationErrors(stack)).toEqual([]);
    expect(JSON.parse(Testing.synth(stack)).resource.keyform_oauth_authorization.auth.mode).toBeUndefined();
  });

  test('a live key without any keyform provider in the stack is rejected', () => {
    const { stack } = newStack(false);
    secretKey(stack, [Scope.read('charges')], { mode: KeyMode.LIVE });
    expect(validationErrors(stack)).toContainEqual(expect.stringMatching(/^KF-CONSTRUCT-008 at test\/key:/));
  });

  test.each([
    { reason: 'token name', build: (s: TerraformStack, v: string) => new ApiKey(s, 'key', { name: v, type: KeyType.SECRET, scopes: [Scope.read('charges')] }) },
    { reason: 'token scope', build: (s: TerraformStack, v: string) => secretKey(s, [Scope.parse(v), Scope.parse(v)]) },
    { reason: 'token expiry', build: (s: TerraformStack, v: string) => secretKey(s, [Scope.read('charges')], { expiresAt: v }) },
    { reason: 'token capability', build: (s: TerraformStack, v: string) => authorization(s, [Capability.APPS_ADMIN, Capability.of(v)]) },
    {
      reason: 'token capability may be mcp',
      build: (s: TerraformStack, v: string) => {
        const a = authorization(s, [Capability.of(v)]);
        a.grantProject('proj_payments', ProjectRole.VIEWER);
        a.grantMcpServer('billing-flow');
      },
    },
    {
      reason: 'token project',
      build: (s: TerraformStack, v: string) => {
        const a = authorization(s, [Capability.MCP]);
        a.grantProject(v, ProjectRole.VIEWER);
        a.grantMcpServer('billing-flow', { project: `${v}` });
      },
    },
  ])('unresolved tokens are skipped, not rejected: $reason', ({ build }) => {
    const { stack } = newStack();
    build(stack, new TerraformVariable(stack, 'v', { type: 'string' }).stringValue);
    expect(validationErrors(stack)).toEqual([]);
  });

  test('granting a project again with another role fails before anything is added', () => {
    const { stack } = newStack();
    const a = authorization(stack, [Capability.MCP]);
    a.grantProject('proj_payments', ProjectRole.VIEWER);
    expect(() => a.grantProject('proj_payments', ProjectRole.ADMIN)).toThrow(
      'KF-CONSTRUCT-016 at test/auth: project "proj_payments" is already granted with role "viewer", now requested with "admin". Fix: grant each project once, with the highest role the tool needs.',
    );
    expect(a.projectGrants).toHaveLength(1);
    expect(JSON.parse(Testing.synth(stack)).resource.keyform_project_access).toBeDefined();
  });

  test.each([
    {
      reason: 'unknown rule',
      rule: 'KF999',
      why: 'because',
      message: 'KF-CONSTRUCT-018 at test/key: unknown policy rule "KF999". Fix: acknowledge one of KF101, KF102, KF103, KF104, KF105, KF106, KF107, KF108, KF109.',
    },
    {
      reason: 'empty reason',
      rule: 'KF101',
      why: ' ',
      message: 'KF-CONSTRUCT-019 at test/key: acknowledgement of KF101 has no reason. Fix: say why the risk is accepted, e.g. "payment service must create refunds; reviewed by security".',
    },
  ])('acknowledging with an $reason is rejected', ({ rule, why, message }) => {
    const { stack } = newStack();
    const key = secretKey(stack, []);
    expect(() => CredentialPolicy.acknowledge(key, rule, why)).toThrow(message);
  });
});
