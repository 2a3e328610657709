/**
 * Many plans, one review, with plans made by the real Terraform CLI with keyform's provider against
 * the reference server: an HCL stack that escalates a live key and a CDKTF-shaped stack (cdk.tf.json
 * with CDKTF's `//` construct metadata) that adds a test key. One report, stacks highest risk first,
 * `--fail-on` over the union, every format including SARIF (valid, located at the declaring file and
 * line, and at the construct path). Requires `npm run build` first.
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { runReview } from '../../src/review/run-review';
import { startTestServer, TestServer } from '../support/server';
import { Workspace, header, removeProvider } from '../acceptance/workspace';

jest.setTimeout(240_000);

let server: TestServer;
let payments: Workspace;
let support: Workspace;

const CONSTRUCT_PATH = 'support-stack/support-bot/Key';
const LOGICAL_ID = 'support-bot_Key_5F1A2B3C';

/** The HCL stack: a live key whose scopes are given. */
function paymentsConfig(scopes: string): string {
  return `${header('  allow_live = true')}
resource "keyform_api_key" "pay" {
  name   = "payments-svc"
  type   = "secret"
  mode   = "live"
  scopes = ${scopes}
}
`;
}

/** The CDKTF-shaped stack, as cdktf synth writes it: stack and construct metadata under `//`. */
const CDK_TF_JSON = {
  '//': { metadata: { backend: 'local', stackName: 'support-stack', version: '0.21.0' }, outputs: {} },
  resource: {
    keyform_api_key: {
      [LOGICAL_ID]: {
        '//': { metadata: { path: CONSTRUCT_PATH, uniqueId: LOGICAL_ID } },
        name: 'support-bot',
        type: 'secret',
        mode: 'test',
        scopes: ['customers:read'],
      },
    },
  },
};

beforeAll(async () => {
  server = await startTestServer();
  payments = await Workspace.create(server);
  support = await Workspace.create(server);
  payments.write(paymentsConfig('["charges:read"]'));
  await payments.apply();
  payments.write(paymentsConfig('["charges:read", "refunds:write"]'));
  support.write(header());
  writeFileSync(join(support.dir, 'cdk.tf.json'), JSON.stringify(CDK_TF_JSON, null, 2));
  for (const ws of [payments, support]) {
    const r = await ws.run(['plan', '-input=false', '-out=tfplan']);
    if (r.code !== 0) throw new Error(`terraform plan failed:\n${r.output}`);
  }
});

afterAll(async () => {
  for (const ws of [payments, support]) {
    if (!ws) continue;
    await ws.destroy().catch(() => undefined);
    await ws.remove();
  }
  await server?.stop();
  await removeProvider();
});

it('GIVEN two stacks WHEN reviewed together THEN one Markdown comment: summary over both, then each stack, highest risk first', async () => {
  // The CDKTF stack is passed first; the escalating stack still comes first in the report.
  const out = await runReview([support.dir, join(payments.dir, 'tfplan')], { format: 'markdown' });
  const md = out.report;
  expect(md).toContain('### keyform review: 2 stacks');
  expect(md).toContain('**2 credential resources change in 2 of 2 stacks:** 1 escalation, 1 new test credential · **1 LIVE**');
  const stackTable = md.split('\n').filter((l) => /^\| `/.test(l));
  expect(stackTable[0]).toMatch(/^\| `[^`]+` \| Escalation \| 1 \| \*\*1\*\* \|$/);
  expect(stackTable[1]).toBe('| `support-stack` | New test credential | 1 | 0 |');
  expect(md.indexOf('#### Stack `support-stack`')).toBeGreaterThan(md.indexOf('`payments-svc` (LIVE) gains `refunds:write`'));
  expect(md).toContain('##### Escalation (1)');
  expect(md.startsWith('<!-- keyform-review -->\n')).toBe(true);
});

it.each([
  { reason: 'an escalation in one stack fails the union', failOn: 'escalation', code: 3 },
  { reason: 'a new test key in the other stack fails the union', failOn: 'new', code: 3 },
  { reason: 'a class no stack has passes', failOn: 'mode-change,revocation', code: 0 },
])('--fail-on over all stacks: $reason', async ({ failOn, code }) => {
  for (const format of ['text', 'json', 'sarif']) {
    const out = await runReview([payments.dir, support.dir], { format, failOn });
    expect(out.exitCode).toBe(code);
  }
});

it('GIVEN two stacks THEN text and JSON say which stack each row belongs to', async () => {
  const text = (await runReview([support.dir, payments.dir], { format: 'text' })).report;
  expect(text.split('\n')[0]).toBe('keyform review: 2 stacks, 2 credential resources change in 2: 1 escalation, 1 new test credential (1 LIVE)');
  expect(text).toContain('STACK support-stack: 1 credential resource change: 1 new test credential; highest risk: new test credential');
  const json = JSON.parse((await runReview([support.dir, payments.dir], { format: 'json' })).report);
  expect(json.summary).toEqual(expect.objectContaining({ resources: 2, stacks: 2, classes: { escalation: 1, new: 1 } }));
  expect(json.stacks.map((s: { highest_risk: string }) => s.highest_risk)).toEqual(['escalation', 'new']);
  expect(json.stacks[1]).toEqual(expect.objectContaining({ name: 'support-stack', plan: join(support.dir, 'tfplan') }));
  expect(json.rows.find((r: { class: string }) => r.class === 'new')).toEqual(expect.objectContaining({ stack: 'support-stack', addresses: [`keyform_api_key.${LOGICAL_ID}`] }));
});

it('GIVEN two stacks THEN SARIF is valid and locates results at the declaring line and at the CDKTF construct path', async () => {
  const root = join(payments.dir, '..');
  const doc = JSON.parse((await runReview([payments.dir, support.dir], { format: 'sarif', sourceRoot: root })).report);
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(join(__dirname, 'support/sarif-2.1.0-subset.schema.json'), 'utf8')));
  expect(validate(doc) ? [] : validate.errors).toEqual([]);

  const [esc, added] = doc.runs[0].results;
  const declaredAt = readFileSync(join(payments.dir, 'main.tf'), 'utf8').split('\n').indexOf('resource "keyform_api_key" "pay" {') + 1;
  expect(declaredAt).toBeGreaterThan(1);
  expect(esc).toEqual(
    expect.objectContaining({
      ruleId: 'keyform/escalation',
      level: 'error',
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: relative(root, join(payments.dir, 'main.tf')) }, region: { startLine: declaredAt } },
          logicalLocations: [expect.objectContaining({ name: 'keyform_api_key.pay', kind: 'resource' })],
        },
      ],
    }),
  );
  expect(added.ruleId).toBe('keyform/new');
  expect(added.level).toBe('note');
  expect(added.message.text).toBe('support-bot is a new secret key for merchant mid_123456 with scopes customers:read [stack support-stack]');
  expect(added.locations[0].logicalLocations).toEqual([
    { name: `keyform_api_key.${LOGICAL_ID}`, fullyQualifiedName: `support-stack/keyform_api_key.${LOGICAL_ID}`, kind: 'resource' },
    { name: 'Key', fullyQualifiedName: CONSTRUCT_PATH, kind: 'construct' },
  ]);
  expect(added.locations[0].physicalLocation.artifactLocation.uri).toBe(relative(root, join(support.dir, 'cdk.tf.json')));
  expect(added.locations[0].physicalLocation.region.startLine).toBeGreaterThan(1);
  expect(doc.runs[0].properties.stacks).toEqual([expect.any(String), 'support-stack']);
});

it("Terraform's plan JSON drops CDKTF's `//` metadata, which is why review reads cdk.tf.json beside the plan", () => {
  const planJson = execFileSync('terraform', ['show', '-json', 'tfplan'], { cwd: support.dir, env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: process.env.TF_CLI_CONFIG_FILE ?? '' } }).toString();
  expect(planJson).toContain(LOGICAL_ID);
  expect(planJson).not.toContain(CONSTRUCT_PATH);
});

it('GIVEN each stack reviewed to JSON by its own CI job WHEN the reports are reviewed together THEN the comment is the one the plans give, and no plan moved', async () => {
  // A matrix job per stack keeps only its secret-free JSON report as an artifact.
  const artifacts = mkdtempSync(join(tmpdir(), 'keyform-matrix-'));
  for (const [job, ws] of [['review-payments', payments], ['review-support', support]] as const) {
    mkdirSync(join(artifacts, job));
    writeFileSync(join(artifacts, job, 'review.json'), (await runReview(ws.dir, { format: 'json' })).report);
  }
  const fromPlans = await runReview([payments.dir, support.dir], { format: 'markdown', failOn: 'escalation' });
  const fromReports = await runReview(artifacts, { format: 'markdown', failOn: 'escalation' });
  expect(fromReports.exitCode).toBe(3);
  // Stack names of HCL stacks are their directory names; the CDKTF stack keeps its own name.
  const sameNames = (md: string) => md.replace(new RegExp(relativeName(payments.dir), 'g'), 'payments');
  expect(sameNames(fromReports.report)).toBe(sameNames(fromPlans.report));

  const sarif = JSON.parse((await runReview(artifacts, { format: 'sarif', sourceRoot: artifacts })).report);
  const added = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'keyform/new');
  expect(added.locations[0].logicalLocations[1]).toEqual({ name: 'Key', fullyQualifiedName: CONSTRUCT_PATH, kind: 'construct' });
  expect(added.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'review-support/review.json' } });
});

function relativeName(dir: string): string {
  return dir.split('/').pop() as string;
}
