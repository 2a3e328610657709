/**
 * `keyform rotation-report` over a split estate: two stacks applied by the real Terraform CLI, given
 * as a directory of stacks or one by one. One report with the summary over all stacks and a section
 * per stack (most urgent first), each key's stack in the JSON, API keys no stack declares in their own
 * section, and the exit code over the union. Requires `npm run build`.
 */
import { Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { register } from '../../src/cli/rotation-report';
import { mergeWithState } from '../../src/rotation/api-keys';
import { runRotationReport } from '../../src/rotation/run-report';
import type { KeyRecord } from '../../src/rotation/state-keys';
import type { TestServer } from '../support/server';
import { startSplitEstate, type SplitEstate, type SplitEstateFixture } from '../hygiene/split-estate';

jest.setTimeout(300_000);

let server: TestServer;
let estate: SplitEstate;
let handMade: { id: string; value: string };
const empty = mkdtempSync(join(tmpdir(), 'keyform-rotation-nostack-'));

let fixture: SplitEstateFixture | undefined;

beforeAll(async () => {
  fixture = await startSplitEstate();
  ({ server, estate, handMade } = fixture);
});

afterAll(async () => {
  await fixture?.stop();
  rmSync(empty, { recursive: true, force: true });
});

const later = () => new Date(Date.now() + 3 * 86_400_000).toISOString();

describe('rotation-report over several stacks', () => {
  it('gives one JSON report: every key with its stack, the stacks most urgent first, exit 2 over the union', async () => {
    const out = await runRotationReport({ stacks: [estate.root], format: 'json', now: later() });
    const doc = JSON.parse(out.report);
    expect(doc.format).toBe('keyform-rotation-report/1');
    expect(doc.stacks).toEqual([
      { name: 'payments', source: join(estate.root, 'payments'), summary: { overdue: 1, due: 0, unknown: 0, healthy: 0, 'no-rotation': 0 } },
      { name: 'support', source: join(estate.root, 'support'), summary: { overdue: 0, due: 0, unknown: 0, healthy: 0, 'no-rotation': 1 } },
    ]);
    expect(doc.summary).toEqual({ overdue: 1, due: 0, unknown: 0, healthy: 0, 'no-rotation': 1 });
    // Both stacks declare keyform_api_key.pay: the address repeats, the stack tells them apart.
    expect(doc.keys.map((k: { stack: string; address: string; name: string; id: string }) => [k.stack, k.address, k.name, k.id])).toEqual([
      ['payments', 'keyform_api_key.pay', 'payments-svc', estate.ids.payments],
      ['support', 'keyform_api_key.pay', 'support-kb', estate.ids.support],
    ]);
    expect(out.exitCode).toBe(2);
  });

  it('exits 0 for the stack with nothing due alone, 2 once the other stack joins (text: summary, then a section per stack)', async () => {
    const alone = await runRotationReport({ stacks: [join(estate.root, 'support')], now: later() });
    expect(alone.exitCode).toBe(0);
    expect(alone.report).toMatch(/^keyform rotation-report: 1 API key at /);
    const both = await runRotationReport({ stacks: [join(estate.root, 'support'), join(estate.root, 'payments')], now: later() });
    expect(both.exitCode).toBe(2);
    expect(both.notice).toContain('0 keys due and 1 overdue');
    const lines = both.report.split('\n');
    expect(lines[0]).toMatch(/^keyform rotation-report: 2 stacks, 2 API keys at .*: 1 overdue, 1 without rotation$/);
    expect(lines.filter((l) => l.startsWith('== ')).map((l) => l.split(':')[0])).toEqual(['== stack payments', '== stack support']);
    expect(both.report).toMatch(/overdue\s+payments-svc\s+LIVE\s+1s \(\+1h\)/);
    for (const s of estate.secrets) expect(both.report).not.toContain(s);
  });

  it('with the API, keeps both stacks\' keys and puts the key no stack declares in its own section', async () => {
    const out = await runRotationReport({
      stacks: [estate.root],
      endpoint: server.url,
      clientId: server.adminClientId,
      clientSecret: server.adminClientSecret,
      every: '90d',
      format: 'markdown',
      now: later(),
    });
    const headings = out.report.split('\n').filter((l) => l.startsWith('#### '));
    // With --every, support's key and the hand-made one are both healthy: equal risk, then by name.
    expect(headings).toEqual(['#### Stack `payments`', '#### Not in any stack', '#### Stack `support`']);
    expect(out.report).toContain('| `payments` | 1 | **1** | 0 |');
    expect(out.report).toContain(`| healthy | \`made-by-hand\` | test | 90d (+24h) |`);
    expect(out.report).toContain(`\`api:${handMade.id} (not in state)\``);
    const json = JSON.parse((await runRotationReport({ stacks: [estate.root], endpoint: server.url, clientId: server.adminClientId, clientSecret: server.adminClientSecret, format: 'json', now: later() })).report);
    expect(json.keys.find((k: { id: string }) => k.id === handMade.id).stack).toBeNull();
    expect(json.keys.filter((k: { address: string }) => k.address === 'keyform_api_key.pay').map((k: { stack: string }) => k.stack)).toEqual(['payments', 'support']);
    for (const s of [...estate.secrets, handMade.value, server.adminClientSecret]) expect(out.report).not.toContain(s);
  });

  it('refuses a directory that is no stack and holds none (exit 1, KF-ROTATION-011)', async () => {
    const program = new Command().exitOverride();
    register(program);
    let stderr = '';
    const e = jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((stderr += String(c)), true));
    const o = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    process.exitCode = 0;
    try {
      await program.parseAsync(['node', 'keyform', 'rotation-report', join(estate.root, 'payments'), empty]);
    } finally {
      e.mockRestore();
      o.mockRestore();
    }
    expect(process.exitCode).toBe(1);
    process.exitCode = 0;
    expect(stderr).toContain(`"${empty}" is not a Terraform working directory and holds none`);
    expect(stderr).toMatch(/\[KF-ROTATION-011\]\n$/);
  });
});

describe('mergeWithState', () => {
  const key = (over: Partial<KeyRecord>): KeyRecord => ({ address: 'keyform_api_key.pay', id: 'key_a', name: 'a', mode: 'test', type: 'secret', mid: 'mid_1', rotation: null, createdAt: null, rotatedAt: null, expiresAt: null, version: 1, ...over });

  it.each([
    {
      reason: 'two stacks declaring the same address both keep their key when the API lists neither (revoked by hand)',
      api: [],
      state: [key({ stack: 'a' }), key({ id: 'key_b', stack: 'b' })],
      expected: [['keyform_api_key.pay', 'a'], ['keyform_api_key.pay', 'b']],
    },
    {
      reason: 'an API key takes the stack and address of the state that declares its id; the other stack keeps its own',
      api: [key({ address: 'api:key_b', id: 'key_b' })],
      state: [key({ stack: 'a' }), key({ id: 'key_b', stack: 'b' })],
      expected: [['keyform_api_key.pay', 'b'], ['keyform_api_key.pay', 'a']],
    },
  ])('$reason', ({ api, state, expected }) => {
    expect(mergeWithState(api, state).map((k) => [k.address, k.stack])).toEqual(expected);
  });
});
