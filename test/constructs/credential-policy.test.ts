import { Aspects, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import {
  ApiKey,
  Capability,
  CredentialPolicy,
  Duration,
  KeyformProvider,
  KeyMode,
  KeyType,
  McpServerGrant,
  OAuthAuthorization,
  PolicyLevel,
  ProjectRole,
  Scope,
} from '../../src';
import { annotations, newStack } from './support/harness';

type Build = (stack: TerraformStack) => void;

/** Runs the policy over a stack and returns its findings (errors and warnings only). */
function findings(build: Build, provider = { allowLive: true }): Array<[string, string]> {
  const { stack } = newStack(provider);
  build(stack);
  Aspects.of(stack).add(new CredentialPolicy());
  Testing.synth(stack);
  return annotations(stack).filter(([level]) => level !== 'info');
}

const key = (s: TerraformStack, props: Partial<ConstructorParameters<typeof ApiKey>[2]>) =>
  new ApiKey(s, 'key', { name: 'svc', type: KeyType.SECRET, scopes: [Scope.read('charges')], ...props });

const RULE_CASES: Array<{ rule: string; reason: string; compliant: Build; violating: Build; finding: [string, string] }> = [
  {
    rule: 'KF101',
    reason: 'secret key without scopes has full account access',
    compliant: (s) => key(s, { scopes: [Scope.read('customers')] }),
    violating: (s) => key(s, { scopes: undefined }),
    finding: [
      'error',
      "KF101 [error] at test/key: Secret key without scopes: secret key \"svc\" has no scopes; a secret key with no scopes has full access to its account (every resource, read and write). Fix: list only the scopes the consumer needs, e.g. Scope.read('customers'). If the risk is accepted: CredentialPolicy.acknowledge(construct, 'KF101', '<reason>').",
    ],
  },
  {
    rule: 'KF102',
    reason: 'live key with write scopes',
    compliant: (s) => key(s, { mode: KeyMode.LIVE, scopes: [Scope.read('refunds')], expiresAt: '2027-01-01T00:00:00Z' }),
    violating: (s) => key(s, { mode: KeyMode.LIVE, scopes: [Scope.write('refunds'), Scope.read('charges')], expiresAt: '2027-01-01T00:00:00Z' }),
    finding: [
      'warn',
      "KF102 [warning] at test/key: Live key with write scopes: live key \"svc\" has write scopes refunds:write; a live key with write scopes can change real data (refunds, charges, customers). Fix: use read scopes only, or keep the write scopes as narrow as possible and acknowledge the rule with a reason. If the risk is accepted: CredentialPolicy.acknowledge(construct, 'KF102', '<reason>').",
    ],
  },
  {
    rule: 'KF103',
    reason: 'live secret key without expiry or rotation',
    compliant: (s) => key(s, { mode: KeyMode.LIVE, rotation: { every: Duration.days(90) } }),
    violating: (s) => key(s, { mode: KeyMode.LIVE }),
    finding: [
      'error',
      "KF103 [error] at test/key: Live secret key without expiry or rotation: live secret key \"svc\" has neither rotation nor expiresAt; a live secret key that never expires and is never rotated stays valid forever if it leaks. Fix: set rotation: { every: Duration.days(90), gracePeriod: Duration.hours(24) } or expiresAt. If the risk is accepted: CredentialPolicy.acknowledge(construct, 'KF103', '<reason>').",
    ],
  },
  {
    rule: 'KF104',
    reason: 'authorization with apps:admin or secrets:edit',
    compliant: (s) => new OAuthAuthorization(s, 'auth', { name: 'claude-code', ownerId: 'usr_alice', capabilities: [Capability.APPS_VIEW, Capability.FLOWS_EDIT] }),
    violating: (s) =>
      new OAuthAuthorization(s, 'auth', {
        name: 'claude-code',
        ownerId: 'usr_alice',
        capabilities: [Capability.APPS_VIEW, Capability.APPS_ADMIN, Capability.SECRETS_EDIT],
      }),
    finding: [
      'warn',
      "KF104 [warning] at test/auth: Powerful authorization capability: authorization \"claude-code\" gains apps:admin and secrets:edit; capabilities apps:admin and secrets:edit let a tool manage apps or read and change secrets on the owner's behalf. Fix: drop apps:admin / secrets:edit unless the tool really needs them. If the risk is accepted: CredentialPolicy.acknowledge(construct, 'KF104', '<reason>').",
    ],
  },
  {
    rule: 'KF105',
    reason: 'public or tokenization key with write scopes',
    compliant: (s) => key(s, { type: KeyType.PUBLIC, scopes: [Scope.read('prices')] }),
    violating: (s) => key(s, { type: KeyType.TOKENIZATION, scopes: [Scope.write('customers')] }),
    finding: [
      'error',
      "KF105 [error] at test/key: Public or tokenization key with write scopes: tokenization key \"svc\" has write scopes customers:write; public and tokenization keys are embedded in clients and are not secret; write scopes on them let anyone who sees them change data. Fix: give public and tokenization keys read scopes only, and use a secret key on a server for writes. If the risk is accepted: CredentialPolicy.acknowledge(construct, 'KF105', '<reason>').",
    ],
  },
  {
    rule: 'KF106',
    reason: 'L1 MCP-server grant on an authorization without mcp',
    compliant: (s) => {
      const a = new OAuthAuthorization(s, 'auth', { name: 'claude-code', ownerId: 'usr_alice', capabilities: [Capability.MCP] });
      new McpServerGrant(s, 'grant', { authorizationId: a.id, mcpServerId: 'billing-flow' });
    },
    violating: (s) => {
      const a = new OAuthAuthorization(s, 'auth', { name: 'claude-code', ownerId: 'usr_alice', capabilities: [Capability.API] });
      new McpServerGrant(s, 'grant', { authorizationId: a.id, mcpServerId: 'billing-flow' });
    },
    finding: [
      'error',
      "KF106 [error] at test/grant: MCP server reachable without the mcp capability: authorization \"claude-code\" may reach MCP server \"billing-flow\" but lacks capability \"mcp\"; an MCP-server grant on an authorization without the mcp capability is rejected by the API, or is a sign of a confused setup. Fix: add Capability.MCP to the authorization, or remove the MCP-server grant. If the risk is accepted: CredentialPolicy.acknowledge(construct, 'KF106', '<reason>').",
    ],
  },
  {
    rule: 'KF107',
    reason: 'literal provider credential',
    compliant: (s) => new KeyformProvider(s, 'p2', { alias: 'b', token: new TerraformVariable(s, 'token', { type: 'string', sensitive: true }).stringValue }),
    violating: (s) => new KeyformProvider(s, 'p2', { alias: 'b', clientId: 'cli_1', clientSecret: 'not-a-real-secret' }),
    finding: [
      'warn',
      "KF107 [warning] at test/p2: Provider credential written into the configuration: provider sets clientSecret as a literal; a literal token or client secret on KeyformProvider is written in plain text into cdk.tf.json. Fix: leave token/clientSecret unset and export KEYFORM_TOKEN or KEYFORM_CLIENT_ID/KEYFORM_CLIENT_SECRET, or pass a sensitive TerraformVariable. If the risk is accepted: CredentialPolicy.acknowledge(construct, 'KF107', '<reason>').",
    ],
  },
  {
    rule: 'KF108',
    reason: 'live key delivered to a file a CI runner discards',
    compliant: (s) => key(s, { mode: KeyMode.LIVE, expiresAt: '2027-01-01T00:00:00Z', secretDelivery: { command: 'vault kv put -mount=secret svc value=-', inheritEnv: ['VAULT_ADDR', 'VAULT_TOKEN'] } }),
    violating: (s) => key(s, { mode: KeyMode.LIVE, expiresAt: '2027-01-01T00:00:00Z', secretDelivery: { file: 'svc.key' } }),
    finding: [
      'warn',
      "KF108 [warning] at test/key: Live key delivered to a file: live key \"svc\" is delivered to the file \"svc.key\"; a file exists only on the machine that ran the apply: a scheduled rotation on a throw-away CI runner writes the new secret there and the runner discards it, so the consumer keeps the old secret and is cut off when the grace period ends. Fix: deliver live keys to a durable secret store through secretDelivery.command, e.g. { command: 'vault kv put -mount=secret payments/checkout value=-', inheritEnv: ['VAULT_ADDR', 'VAULT_TOKEN'] }, or acknowledge the rule if the file is on storage the consumer reads and every apply runs on that machine. If the risk is accepted: CredentialPolicy.acknowledge(construct, 'KF108', '<reason>').",
    ],
  },
];

describe('CredentialPolicy rules', () => {
  test('every rule has a compliant and a violating case here', () => {
    expect(RULE_CASES.map((c) => c.rule)).toEqual(CredentialPolicy.rules().map((r) => r.id));
  });

  test.each(RULE_CASES)('$rule ($reason): compliant construction has no finding', ({ compliant }) => {
    expect(findings(compliant)).toEqual([]);
  });

  test.each(RULE_CASES)('$rule ($reason): violation is reported with level, path and fix', ({ violating, finding }) => {
    expect(findings(violating)).toEqual([finding]);
  });

  test('rules are listed with level, title, explanation and fix', () => {
    const kf101 = CredentialPolicy.rules()[0];
    expect(kf101).toEqual({
      id: 'KF101',
      level: PolicyLevel.ERROR,
      title: 'Secret key without scopes',
      explanation: 'a secret key with no scopes has full access to its account (every resource, read and write)',
      fix: "list only the scopes the consumer needs, e.g. Scope.read('customers')",
    });
  });
});

describe('acknowledgement', () => {
  test('acknowledging silences exactly one rule on exactly one construct', () => {
    const { stack } = newStack({ allowLive: true });
    // Both keys break KF102 (live + write) and KF103 (no expiry/rotation).
    const first = new ApiKey(stack, 'first', { name: 'first', type: KeyType.SECRET, mode: KeyMode.LIVE, scopes: [Scope.write('refunds')] });
    new ApiKey(stack, 'second', { name: 'second', type: KeyType.SECRET, mode: KeyMode.LIVE, scopes: [Scope.write('refunds')] });
    CredentialPolicy.acknowledge(first, 'KF102', 'refund service; reviewed by security on 2026-11-01');
    CredentialPolicy.addTo(stack);
    Testing.synth(stack);
    const byPath = annotations(stack).map(([level, message]) => `${level} ${message.slice(0, message.indexOf(':', message.indexOf(' at ') + 4))}`);
    expect(byPath).toEqual([
      'info KF102 acknowledged at test/first',
      'error KF103 [error] at test/first',
      'warn KF102 [warning] at test/second',
      'error KF103 [error] at test/second',
    ]);
    expect(annotations(stack.node.findChild('first'))[0]).toEqual(['info', 'KF102 acknowledged at test/first: refund service; reviewed by security on 2026-11-01']);
  });

  test('an acknowledged error no longer fails synth', () => {
    const { app, stack } = newStack();
    const k = key(stack, { scopes: [] });
    CredentialPolicy.addTo(stack);
    CredentialPolicy.acknowledge(k, 'KF101', 'migration key, removed in the next release');
    expect(() => app.synth()).not.toThrow();
  });

  test('an error finding fails synth with the construct path', () => {
    const { app, stack } = newStack();
    key(stack, { scopes: [] });
    CredentialPolicy.addTo(stack);
    expect(() => app.synth()).toThrow(/\[test\/key\] KF101 \[error\] at test\/key: Secret key without scopes/);
  });

  test('a warning does not fail synth unless warningsAsErrors is set', () => {
    const build = (warningsAsErrors: boolean) => {
      const { app, stack } = newStack();
      new OAuthAuthorization(stack, 'auth', { name: 'a', ownerId: 'usr_alice', capabilities: [Capability.SECRETS_EDIT] });
      CredentialPolicy.addTo(stack, { warningsAsErrors });
      return app;
    };
    expect(() => build(false).synth()).not.toThrow();
    expect(() => build(true).synth()).toThrow(/KF104 \[error\] at test\/auth/);
  });

  test('a disabled rule reports nothing', () => {
    const { stack } = newStack();
    key(stack, { scopes: [] });
    CredentialPolicy.addTo(stack, { disabledRules: ['KF101'] });
    Testing.synth(stack);
    expect(annotations(stack)).toEqual([]);
  });

  test('an authorization reached through grantMcpServer without mcp is found by the policy', () => {
    const result = findings((s) => {
      const a = new OAuthAuthorization(s, 'auth', { name: 'a', ownerId: 'usr_alice', capabilities: [Capability.API] });
      a.grantProject('proj_payments', ProjectRole.VIEWER);
      a.grantMcpServer('billing-flow');
    });
    expect(result.map(([, m]) => m.slice(0, 30))).toEqual(['KF106 [error] at test/auth/Mcp']);
  });
});
