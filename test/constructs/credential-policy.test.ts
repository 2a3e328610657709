/**
 * The credential policy: each rule compliant / non-compliant / not applicable as a pure function and
 * through synth, acknowledgements as construct metadata (inherited from parents, recorded in
 * cdk.tf.json), and a rule that throws reported as an error finding while synth goes on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Construct, IConstruct } from 'constructs';
import { App, Aspects, TerraformStack, TerraformVariable, Testing } from 'cdktf';
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
import { ruleById } from '../../src/constructs/policy-rules';
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

/**
 * Per rule: a compliant and a violating construction (with the finding synth reports), and one the
 * rule does not apply to; `target` is the id of the construct the rule judges in each.
 */
const RULE_CASES: Array<{
  rule: string;
  reason: string;
  target: string;
  compliant: Build;
  violating: Build;
  notApplicable: Build;
  finding: [string, string];
}> = [
  {
    rule: 'KF101',
    reason: 'secret key without scopes has full account access',
    target: 'key',
    notApplicable: (s) => key(s, { type: KeyType.PUBLIC, scopes: undefined }), // not a secret key
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
    target: 'key',
    notApplicable: (s) => key(s, { mode: KeyMode.TEST, scopes: [Scope.write('refunds')] }), // a test key
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
    target: 'key',
    notApplicable: (s) => key(s, { type: KeyType.PUBLIC, mode: KeyMode.LIVE, scopes: [Scope.read('prices')] }), // live, but not secret
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
    target: 'auth',
    notApplicable: (s) => new ApiKey(s, 'auth', { name: 'svc', type: KeyType.SECRET, scopes: [Scope.read('charges')] }), // not an authorization
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
    target: 'key',
    notApplicable: (s) => key(s, { type: KeyType.SECRET, scopes: [Scope.write('customers')] }), // secret keys are KF102's
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
    target: 'grant',
    notApplicable: (s) => new McpServerGrant(s, 'grant', { authorizationId: 'auth_imported', mcpServerId: 'billing-flow' }), // no authorization of this stack
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
    target: 'p2',
    notApplicable: (s) => new ApiKey(s, 'p2', { name: 'svc', type: KeyType.SECRET, scopes: [Scope.read('charges')] }), // not a provider
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
    target: 'key',
    notApplicable: (s) => key(s, { mode: KeyMode.TEST, secretDelivery: { file: 'svc.key' } }), // a test key
    compliant: (s) => key(s, { mode: KeyMode.LIVE, expiresAt: '2027-01-01T00:00:00Z', secretDelivery: { command: 'vault kv put -mount=secret svc value=-', inheritEnv: ['VAULT_ADDR', 'VAULT_TOKEN'] } }),
    violating: (s) => key(s, { mode: KeyMode.LIVE, expiresAt: '2027-01-01T00:00:00Z', secretDelivery: { file: 'svc.key' } }),
    finding: [
      'warn',
      "KF108 [warning] at test/key: Live key delivered to a file: live key \"svc\" is delivered to the file \"svc.key\"; a file exists only on the machine that ran the apply: a scheduled rotation on a throw-away CI runner writes the new secret there and the runner discards it, so the consumer keeps the old secret and is cut off when the grace period ends. Fix: deliver live keys to a durable secret store through secretDelivery.command, e.g. { command: 'vault kv put -mount=secret payments/checkout value=-', inheritEnv: ['VAULT_ADDR', 'VAULT_TOKEN'] }, or acknowledge the rule if the file is on storage the consumer reads and every apply runs on that machine. If the risk is accepted: CredentialPolicy.acknowledge(construct, 'KF108', '<reason>').",
    ],
  },
  {
    rule: 'KF109',
    reason: 'grace period as long as the rotation interval (allowed by the API and validation, so a warning)',
    target: 'key',
    notApplicable: (s) => key(s, {}), // no rotation
    compliant: (s) => key(s, { rotation: { every: Duration.days(90), gracePeriod: Duration.hours(24) } }),
    violating: (s) => key(s, { rotation: { every: Duration.hours(12) } }),
    finding: [
      'warn',
      "KF109 [warning] at test/key: Grace period not shorter than the rotation interval: key \"svc\" rotates every 12h with a grace period of 24h (the default); the previous secret still works when the next rotation issues a new one, so several secrets of the key work at once (the API keeps at most ten and then refuses to rotate). Fix: choose a grace period shorter than rotation.every, e.g. rotation: { every: Duration.days(90), gracePeriod: Duration.hours(24) }. If the risk is accepted: CredentialPolicy.acknowledge(construct, 'KF109', '<reason>').",
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

  /** Builds one case in a fresh stack and runs the rule's check alone on the construct it judges. */
  const checkAlone = (rule: string, build: Build, target: string) => {
    const { stack } = newStack({ allowLive: true });
    build(stack);
    return ruleById(rule)!.check(stack.node.findChild(target)).status;
  };

  test.each(RULE_CASES)('$rule ($reason): the check alone answers compliant, non-compliant and not applicable', ({ rule, target, compliant, violating, notApplicable }) => {
    expect([checkAlone(rule, compliant, target), checkAlone(rule, violating, target), checkAlone(rule, notApplicable, target)]).toEqual([
      'compliant',
      'non-compliant',
      'not-applicable',
    ]);
  });

  test.each(RULE_CASES)('$rule ($reason): a construct the rule does not apply to has no finding of it', ({ rule, notApplicable }) => {
    expect(findings(notApplicable).filter(([, m]) => m.startsWith(rule))).toEqual([]);
  });

  test('a check only reads: the tree and the synthesized JSON are the same before and after every check', () => {
    const { stack } = newStack({ allowLive: true });
    for (const c of RULE_CASES) {
      const scope = new Construct(stack, c.rule);
      c.violating(scope as TerraformStack);
    }
    const before = Testing.synth(stack);
    const metadataBefore = stack.node.findAll().map((n) => n.node.metadata.length);
    for (const node of stack.node.findAll()) for (const r of CredentialPolicy.rules()) ruleById(r.id)!.check(node);
    expect(stack.node.findAll().map((n) => n.node.metadata.length)).toEqual(metadataBefore);
    expect(Testing.synth(stack)).toEqual(before);
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

/** The cdk.tf.json an app wrote for stack `test` (the file `cdktf synth` leaves for Terraform and auditors). */
function writtenStack(app: App): any {
  app.synth();
  return JSON.parse(readFileSync(join(app.outdir, 'stacks', 'test', 'cdk.tf.json'), 'utf8'));
}

/** The `//` comment block of every `keyform_api_key` in a written stack, by construct path. */
function keyComments(tf: any): Record<string, any> {
  return Object.fromEntries(Object.values<any>(tf.resource.keyform_api_key).map((r) => [r['//'].metadata.path, r['//'].keyformPolicy]));
}

describe('acknowledgement inherited from a parent, recorded in cdk.tf.json', () => {
  const liveWriter = (scope: Construct, id: string) =>
    new ApiKey(scope, id, { name: id, type: KeyType.SECRET, mode: KeyMode.LIVE, scopes: [Scope.write('refunds')], expiresAt: '2027-01-01T00:00:00Z' });

  test('an acknowledgement on a parent construct silences the rule on its children only, and each child records it', () => {
    const { app, stack } = newStack({ allowLive: true });
    const payments = new Construct(stack, 'payments');
    liveWriter(payments, 'checkout');
    liveWriter(new Construct(payments, 'batch'), 'refunds');
    liveWriter(stack, 'outside');
    CredentialPolicy.acknowledge(payments, 'KF102', 'payment services must create refunds; reviewed by security');
    CredentialPolicy.addTo(stack);
    const tf = writtenStack(app);

    expect(annotations(stack).map(([level, m]) => `${level} ${m.split(': ')[0]}`)).toEqual([
      'info KF102 acknowledged at test/payments/checkout (acknowledged on test/payments)',
      'info KF102 acknowledged at test/payments/batch/refunds (acknowledged on test/payments)',
      'warn KF102 [warning] at test/outside',
    ]);
    expect(annotations(stack)[0][1]).toMatch(/: payment services must create refunds; reviewed by security$/);
    const recorded = {
      rule: 'KF102',
      level: 'warning',
      reason: 'payment services must create refunds; reviewed by security',
      acknowledgedAt: 'test/payments',
    };
    expect(keyComments(tf)).toEqual({
      'test/payments/checkout': { acknowledged: [{ ...recorded, finding: 'live key "checkout" has write scopes refunds:write' }] },
      'test/payments/batch/refunds': { acknowledged: [{ ...recorded, finding: 'live key "refunds" has write scopes refunds:write' }] },
      'test/outside': undefined,
    });
  });

  test('an acknowledgement on the stack covers every construct of the stack, and an error acknowledged there no longer fails synth', () => {
    const { app, stack } = newStack();
    key(stack, { scopes: [] });
    CredentialPolicy.acknowledge(stack, 'KF101', 'migration stack, deleted after the cut-over');
    CredentialPolicy.addTo(stack);
    const tf = writtenStack(app);
    expect(keyComments(tf)['test/key']).toEqual({
      acknowledged: [{ rule: 'KF101', level: 'error', finding: 'secret key "svc" has no scopes', reason: 'migration stack, deleted after the cut-over', acknowledgedAt: 'test' }],
    });
  });

  test('the nearest acknowledgement wins, and one on a sibling covers nothing', () => {
    const { stack } = newStack({ allowLive: true });
    const team = new Construct(stack, 'team');
    const own = liveWriter(team, 'own');
    liveWriter(team, 'inherits');
    const sibling = new Construct(stack, 'sibling');
    CredentialPolicy.acknowledge(stack, 'KF102', 'stack-wide reason');
    CredentialPolicy.acknowledge(own, 'KF102', 'own reason');
    CredentialPolicy.acknowledge(sibling, 'KF104', 'unrelated');
    expect([CredentialPolicy.acknowledgement(own, 'KF102'), CredentialPolicy.acknowledgement(team.node.findChild('inherits'), 'KF102')]).toEqual([
      'own reason',
      'stack-wide reason',
    ]);
    expect(CredentialPolicy.acknowledgement(own, 'KF104')).toBeUndefined();
  });

  test('acknowledgements are construct metadata, so a hand-written entry without a reason acknowledges nothing', () => {
    const { stack } = newStack({ allowLive: true });
    const k = liveWriter(stack, 'k');
    k.node.addMetadata(CredentialPolicy.ACKNOWLEDGEMENT_METADATA, { ruleId: 'KF102', reason: '  ' });
    CredentialPolicy.addTo(stack);
    Testing.synth(stack);
    expect(annotations(stack).map(([level, m]) => `${level} ${m.split(': ')[0]}`)).toEqual(['warn KF102 [warning] at test/k']);
    CredentialPolicy.acknowledge(k, 'KF102', 'reviewed');
    expect(k.node.metadata.filter((m) => m.type === 'keyform/policy-acknowledgement').map((m) => m.data)).toEqual([
      { ruleId: 'KF102', reason: '  ' },
      { ruleId: 'KF102', reason: 'reviewed' },
    ]);
  });

  test('an acknowledged provider finding is recorded in the provider block', () => {
    const { app, stack } = newStack();
    const p = new KeyformProvider(stack, 'p2', { alias: 'b', clientId: 'cli_1', clientSecret: 'not-a-real-secret' });
    CredentialPolicy.acknowledge(p, 'KF107', 'local demo only');
    CredentialPolicy.addTo(stack);
    const tf = writtenStack(app);
    const block = tf.provider.keyform.find((b: any) => b.alias === 'b');
    expect(block['//']).toEqual({
      keyformPolicy: {
        acknowledged: [{ rule: 'KF107', level: 'warning', finding: 'provider sets clientSecret as a literal', reason: 'local demo only', acknowledgedAt: 'test/p2' }],
      },
    });
  });
});

/**
 * A construct of another keyform copy: it carries the ApiKey brand (Symbol.for('keyform/ApiKey'))
 * but not the shape this copy's rules read, so KF105's check throws on it.
 */
class ForeignApiKey extends Construct {
  public readonly keyType = 'public';
  public readonly mode = 'test';
  public readonly config = { name: 'foreign' };
  constructor(scope: IConstruct, id: string) {
    super(scope as Construct, id);
    Object.defineProperty(this, Symbol.for('keyform/ApiKey'), { value: true });
  }
  public get scopeStrings(): string[] {
    throw new Error('scopes unavailable near fsk_live_4eC39HqLyjWDarjtT1zdp7dc\nsecond line');
  }
}

describe('a rule that throws', () => {
  test('becomes an error finding on that construct, redacted, and every other rule and construct is still checked', () => {
    const { app, stack } = newStack();
    new ForeignApiKey(stack, 'foreign');
    key(stack, { scopes: [] });
    CredentialPolicy.addTo(stack);
    expect(() => app.synth()).toThrow(/KF105 \[error\] at test\/foreign[\s\S]*KF101 \[error\] at test\/key/);
    const found = annotations(stack);
    expect(found.map(([level, m]) => `${level} ${m.split(': ')[0]}`)).toEqual(['error KF105 [error] at test/foreign', 'error KF101 [error] at test/key']);
    expect(found[0][1]).toContain('the rule could not be checked (Error: scopes unavailable near fsk_live_[redacted])');
    expect(found[0][1]).not.toMatch(/4eC39Hq|second line/);
    expect(found[0][1]).toContain("disabledRules: ['KF105']");
  });

  test('an acknowledgement of the rule does not cover a rule that could not run; disabling it does', () => {
    const run = (policy: (s: TerraformStack) => void) => {
      const { stack } = newStack();
      const f = new ForeignApiKey(stack, 'foreign');
      CredentialPolicy.acknowledge(f, 'KF105', 'accepted');
      policy(stack);
      Testing.synth(stack);
      return annotations(stack).map(([level, m]) => `${level} ${m.slice(0, 5)}`);
    };
    expect(run((s) => CredentialPolicy.addTo(s))).toEqual(['error KF105']);
    expect(run((s) => CredentialPolicy.addTo(s, { disabledRules: ['KF105'] }))).toEqual([]);
  });
});
