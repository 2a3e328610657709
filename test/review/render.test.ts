import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reviewPlan } from '../../src/review/classify';
import { renderJson } from '../../src/review/render-json';
import { MARKDOWN_MARKER, renderMarkdown } from '../../src/review/render-markdown';
import { renderText } from '../../src/review/render-text';
import { runReview } from '../../src/review/run-review';
import { Scrubber, collectSecrets } from '../../src/review/secret-scrub';
import { authz, change, configRef, key, plan } from './plan-builder';

function tmpFile(name: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyform-review-'));
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** A plan with one change of most classes; the grant refers to an authorization created alongside. */
const mixed = plan(
  [
    change('keyform_oauth_authorization.cc', ['update'], authz(), authz({ capabilities: ['mcp', 'secrets:edit'] })),
    change('keyform_mcp_server_grant.billing', ['create'], null, { authorization_id: 'auth_1', mcp_server_id: 'billing-flow' }),
    change('keyform_api_key.pay', ['update'], key(), key({ scopes: ['charges:read', 'refunds:write'] })),
    change('keyform_api_key.bot', ['create'], null, key({ name: 'support-bot', mode: 'test', scopes: ['customers:read'], id: null }), { after_unknown: { id: true, value: true, created_at: true } }),
    change('keyform_api_key.old', ['delete'], key({ name: 'legacy' }), null),
    change('keyform_api_key.ren', ['update'], key({ name: 'a', mode: 'test' }), key({ name: 'b', mode: 'test' })),
  ],
  [configRef('keyform_mcp_server_grant.billing', 'keyform_oauth_authorization.cc')],
);

describe('renderMarkdown', () => {
  const out = renderMarkdown(reviewPlan(mixed), new Scrubber());

  it('starts with the marker and a summary line with counts per class', () => {
    expect(out.startsWith(`${MARKDOWN_MARKER}\n### keyform review\n`)).toBe(true);
    expect(out).toContain('**6 credential resources change:** 2 escalation, 1 revocation, 1 new test credential, 1 cosmetic · **3 LIVE**');
  });

  it('merges what one credential gains into one plain-language sentence', () => {
    expect(out).toContain(
      '| **LIVE** | authorization `claude-code` (LIVE) gains `secrets:edit`; may now reach MCP server `billing-flow` | `keyform_oauth_authorization.cc`<br>`keyform_mcp_server_grant.billing` |',
    );
    expect(out).toContain('| **LIVE** | `payments-svc` (LIVE) gains `refunds:write` | `keyform_api_key.pay` |');
  });

  it('has one table per class, highest risk first', () => {
    const headings = out.split('\n').filter((l) => l.startsWith('#### '));
    expect(headings).toEqual(['#### Escalation (2)', '#### Revocation (1)', '#### New test credential (1)', '#### Cosmetic (1)']);
  });

  it('keeps table cells intact when a name holds a pipe or a backtick', () => {
    const odd = renderMarkdown(reviewPlan(plan([change('keyform_api_key.x', ['delete'], key({ name: 'a|b`c' }), null)])), new Scrubber());
    expect(odd).toContain('| **LIVE** | `` a\\|b`c `` (LIVE) is revoked');
  });

  it('shows changes made outside Terraform before the plan, not counted as plan changes', () => {
    const p = { ...plan([change('keyform_api_key.pay', ['update'], key({ scopes: ['charges:read', 'customers:write'] }), key())]), resource_drift: [change('keyform_api_key.pay', ['update'], key(), key({ scopes: ['charges:read', 'customers:write'] }))] };
    const out = renderMarkdown(reviewPlan(p), new Scrubber());
    expect(out).toContain('**1 credential resource change:** 1 de-escalation · **1 LIVE** · 1 changed outside Terraform');
    expect(out).toContain('#### Changed outside Terraform since the last apply (1)');
    expect(out).toContain('| **LIVE** | Escalation | `payments-svc` (LIVE) gains `customers:write` | `keyform_api_key.pay` |');
    expect(renderText(reviewPlan(p), new Scrubber())).toContain('CHANGED OUTSIDE TERRAFORM SINCE THE LAST APPLY (1)\n  LIVE  [escalation] payments-svc (LIVE) gains customers:write');
  });

  it('says so when the plan has no keyform changes', () => {
    expect(renderMarkdown(reviewPlan(plan([])), new Scrubber())).toContain('No keyform credential changes in this plan.');
  });

  it('shows values known only after apply as such', () => {
    const p = plan([change('keyform_api_key.n', ['create'], null, key({ mid: null }), { after_unknown: { mid: true } })]);
    expect(renderMarkdown(reviewPlan(p), new Scrubber())).toContain('for merchant _(known after apply)_');
  });
});

describe('renderText and renderJson', () => {
  it('prints a terminal report with LIVE tags and addresses', () => {
    const out = renderText(reviewPlan(mixed), new Scrubber());
    expect(out).toContain('keyform review: 6 credential resources change: 2 escalation, 1 revocation, 1 new test credential, 1 cosmetic (3 LIVE)');
    expect(out).toContain('ESCALATION (2)\n  LIVE  payments-svc (LIVE) gains refunds:write\n        keyform_api_key.pay\n  LIVE  authorization claude-code (LIVE) gains secrets:edit; may now reach MCP server billing-flow');
    expect(out).toContain('  test  support-bot is a new secret key for merchant mid_123456 with scopes customers:read');
  });

  it('prints JSON with rows and findings', () => {
    const doc = JSON.parse(renderJson(reviewPlan(mixed), new Scrubber()));
    expect(doc.format).toBe('keyform-review/1');
    expect(doc.summary).toEqual({ resources: 6, rows: 5, live: 3, classes: { escalation: 2, revocation: 1, new: 1, cosmetic: 1 } });
    expect(doc.rows[1]).toMatchObject({ class: 'escalation', live: true, sentence: 'authorization claude-code (LIVE) gains secrets:edit; may now reach MCP server billing-flow' });
    expect(doc.findings).toHaveLength(6);
  });
});

describe('secrets never reach a report', () => {
  const planted = {
    keyValue: 'fsk_live_PLANTEDkeyvalue0001',
    oldKeyValue: 'fsk_live_PLANTEDoldvalue0002',
    clientSecret: 'PLANTED-client-secret-0003',
    token: 'PLANTED-token-0004',
    sensitiveName: 'PLANTED-sensitive-name-0005',
    inDescription: 'ftk_PLANTEDindescription0006',
    variable: 'PLANTED-variable-0007',
    output: 'PLANTED-output-0008',
    inScope: 'fpk_test_PLANTEDscope0009',
    unmarkedName: 'fat_PLANTEDunmarked0010',
  };
  const doc = {
    ...plan(
      [
        change(
          'keyform_api_key.pay',
          ['update'],
          key({ value: planted.oldKeyValue, version: 1 }),
          key({ value: planted.keyValue, version: 2, description: `rotated from ${planted.inDescription}`, scopes: ['charges:read', planted.inScope] }),
          { before_sensitive: { value: true }, after_sensitive: { value: true } },
        ),
        change('keyform_oauth_authorization.cc', ['update'], authz({ client_secret: planted.clientSecret }), authz({ client_secret: planted.clientSecret, token: planted.token, capabilities: ['mcp', 'api'] }), {
          before_sensitive: { client_secret: true },
          after_sensitive: { client_secret: true, token: true },
        }),
        change('keyform_api_key.hidden', ['delete'], key({ name: planted.sensitiveName }), null, { before_sensitive: { name: true, value: true } }),
        change('keyform_api_key.weird', ['create'], null, key({ name: planted.unmarkedName, mode: 'test' })),
      ],
      [],
    ),
    variables: { admin_token: { value: planted.variable } },
    planned_values: { outputs: { key: { sensitive: true, value: planted.output } } },
    configuration: { root_module: { variables: { admin_token: { sensitive: true } }, resources: [] } },
  };

  it.each(['markdown', 'text', 'json'])('in %s output', async (format) => {
    const path = tmpFile('plan.json', JSON.stringify(doc));
    const out = await runReview(path, { format });
    for (const secret of Object.values(planted)) expect(out.report).not.toContain(secret);
    // Still a useful report: the rotation and the scope change are there.
    expect(out.report).toContain('payments-svc');
    expect(out.report).toMatch(/is rotated/);
  });

  it('collects marked values and scrubs credential-shaped strings', () => {
    const secrets = collectSecrets(doc);
    for (const s of [planted.keyValue, planted.oldKeyValue, planted.clientSecret, planted.token, planted.sensitiveName, planted.variable, planted.output]) {
      expect(secrets.has(s)).toBe(true);
    }
    expect(secrets.has('mid_123456')).toBe(false);
    const scrub = new Scrubber();
    expect(scrub.scrub('key fsk_test_abcdef123456 and sk_test_4eC39HqLyjWDarjtT1zdp7dc')).toBe('key fsk_test_[redacted] and sk_test_[redacted]');
    expect(scrub.scrub('token kfat_0123456789abcdefghij, client kfcs_0123456789abcdefghij, authz fat_0123456789abcdefghij fcs_0123456789abcdefghij')).toBe('token kfat_[redacted], client kfcs_[redacted], authz fat_[redacted] fcs_[redacted]');
    expect(scrub.scrub('prefix fsk_test_ and fsk_ stay')).toBe('prefix fsk_test_ and fsk_ stay');
  });
});

describe('runReview', () => {
  const path = tmpFile('plan.json', JSON.stringify(mixed));

  it.each([
    { reason: 'an escalation is present', failOn: 'escalation,new-live', exitCode: 3 },
    { reason: 'no new live credential in the plan', failOn: 'new-live', exitCode: 0 },
    { reason: 'no --fail-on', failOn: undefined, exitCode: 0 },
  ])('exit code $exitCode when $reason', async ({ failOn, exitCode }) => {
    const out = await runReview(path, { failOn, format: 'text' });
    expect(out.exitCode).toBe(exitCode);
    if (exitCode) expect(out.notice).toContain('escalation');
  });

  it.each([
    { reason: 'a class name is misspelled', run: () => runReview(path, { failOn: 'escalations' }), message: /KF|Unknown class in --fail-on: escalations\. Use a comma list of: escalation, new-live/ },
    { reason: 'the format is unknown', run: () => runReview(path, { format: 'html' }), message: /Unknown --format "html"/ },
    { reason: 'the file is missing', run: () => runReview(join(tmpdir(), 'no-such-plan.json')), message: /was not found\. Save a plan with `terraform plan -out=tfplan`/ },
    { reason: 'the file is not JSON', run: () => runReview(tmpFile('x.json', 'not json')), message: /is neither JSON nor a Terraform plan file/ },
    { reason: 'the file is a state file', run: () => runReview(tmpFile('s.json', JSON.stringify({ version: 4, resources: [] }))), message: /is a Terraform state file, not a saved plan/ },
    { reason: 'the file is `terraform show -json` of a state', run: () => runReview(tmpFile('s.json', JSON.stringify({ format_version: '1.0', values: {} }))), message: /is a `terraform show -json` state, not a saved plan/ },
  ])('refuses clearly when $reason', async ({ run, message }) => {
    await expect(run()).rejects.toThrow(message);
  });
});
