import { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { register } from '../../src/cli/rotation-report';
import { KeyformClient } from '../../src/client';
import { runRotationReport } from '../../src/rotation/run-report';
import { keysOfState } from '../../src/rotation/state-keys';
import { startServer } from '../../src/server';

const dir = mkdtempSync(join(tmpdir(), 'keyform-rotation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, doc: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return p;
}

const PLANTED = 'fsk_live_PLANTEDstatevalue0001';

/** Attributes of a key as the provider stores them. */
function attrs(over: Record<string, unknown>) {
  return {
    id: 'key_1',
    mid: 'mid_123456',
    name: 'payments-svc',
    type: 'secret',
    mode: 'live',
    scopes: ['refunds:write'],
    description: null,
    expires_at: null,
    rotation: { every: '90d', grace_period: '24h' },
    secret_delivery: null,
    value: PLANTED,
    prefix: 'fsk_',
    fingerprint: 'sha256:00',
    created_at: '2026-01-01T00:00:00Z',
    rotated_at: null,
    version: 1,
    ...over,
  };
}

/** A raw terraform.tfstate (format version 4) with three keys and one other resource. */
const rawState = {
  version: 4,
  terraform_version: '1.11.4',
  resources: [
    { mode: 'managed', type: 'keyform_api_key', name: 'pay', instances: [{ attributes: attrs({}), sensitive_attributes: [[{ type: 'get_attr', value: 'value' }]] }] },
    {
      mode: 'managed',
      type: 'keyform_api_key',
      name: 'bots',
      module: 'module.support',
      instances: [
        { index_key: 'kb', attributes: attrs({ id: 'key_2', name: 'support-kb', mode: 'test', rotation: [{ every: '30d', grace_period: null }], created_at: '2026-03-20T00:00:00Z', value: null }) },
        { index_key: 'old', attributes: attrs({ id: 'key_3', name: 'legacy', rotation: null, value: null }) },
      ],
    },
    { mode: 'data', type: 'keyform_api_key', name: 'lookup', instances: [{ attributes: attrs({ id: 'key_9', name: 'looked-up' }) }] },
    { mode: 'managed', type: 'terraform_data', name: 'x', instances: [{ attributes: { id: 'x' } }] },
  ],
};

/** The same keys as `terraform show -json` writes them. */
const showJson = {
  format_version: '1.0',
  terraform_version: '1.11.4',
  values: {
    root_module: {
      resources: [{ address: 'keyform_api_key.pay', mode: 'managed', type: 'keyform_api_key', name: 'pay', values: attrs({}), sensitive_values: { value: true } }],
      child_modules: [
        {
          address: 'module.support',
          resources: [
            { address: 'module.support.keyform_api_key.bots["kb"]', mode: 'managed', type: 'keyform_api_key', name: 'bots', index: 'kb', values: attrs({ id: 'key_2', name: 'support-kb', mode: 'test', rotation: [{ every: '30d', grace_period: null }], created_at: '2026-03-20T00:00:00Z', value: null }) },
            { address: 'module.support.keyform_api_key.bots["old"]', mode: 'managed', type: 'keyform_api_key', name: 'bots', index: 'old', values: attrs({ id: 'key_3', name: 'legacy', rotation: null, value: null }) },
          ],
        },
      ],
    },
  },
};

describe('keysOfState', () => {
  it.each([
    { reason: 'a raw tfstate, modules and instance keys in the address, data sources skipped', doc: rawState },
    { reason: '`terraform show -json` output with child modules', doc: showJson },
  ])('reads $reason', ({ doc }) => {
    const keys = keysOfState(doc, 'state.json');
    expect(keys.map((k) => [k.address, k.name, k.rotation])).toEqual([
      ['keyform_api_key.pay', 'payments-svc', { every: '90d', gracePeriod: '24h' }],
      ['module.support.keyform_api_key.bots["kb"]', 'support-kb', { every: '30d', gracePeriod: null }],
      ['module.support.keyform_api_key.bots["old"]', 'legacy', null],
    ]);
    expect(JSON.stringify(keys)).not.toContain(PLANTED);
  });

  it.each([
    { reason: 'a saved plan', doc: { format_version: '1.2', resource_changes: [] }, message: 'is a saved plan, not a Terraform state' },
    { reason: 'an unrelated JSON document', doc: { hello: 'world' }, message: 'without `version` or `format_version`' },
    { reason: 'a list', doc: [], message: 'is not a JSON object' },
  ])('refuses $reason', ({ doc, message }) => {
    expect(() => keysOfState(doc, 'x.json')).toThrow(message);
  });

  it('reads an empty state', () => {
    expect(keysOfState({ format_version: '1.0' }, 'x')).toEqual([]);
  });
});

describe('runRotationReport from a state file', () => {
  const raw = file('terraform.tfstate', rawState);

  it('exits 2 and lists the overdue key first when something is due', async () => {
    const out = await runRotationReport({ state: raw, now: '2026-04-05T00:00:00Z' });
    expect(out.exitCode).toBe(2);
    expect(out.notice).toContain('0 keys due and 1 overdue for rotation (exit 2)');
    const lines = out.report.split('\n');
    expect(lines[0]).toBe('keyform rotation-report: 3 API keys at 2026-04-05T00:00:00Z: 1 overdue, 1 healthy, 1 without rotation');
    expect(lines[3]).toMatch(/^overdue\s+payments-svc\s+LIVE\s+90d \(\+24h\)\s+2026-01-01T00:00:00Z\s+2026-04-01T00:00:00Z\s+overdue since 2026-04-02T00:00:00Z/);
    expect(out.report).toMatch(/healthy\s+support-kb\s+test\s+30d \(\+24h\)/);
    expect(out.report).toContain('live secret key without rotation: declare rotation { every = "90d" }');
    expect(out.report).not.toContain(PLANTED);
  });

  it('exits 0 when every key is healthy or without rotation', async () => {
    const out = await runRotationReport({ state: raw, now: '2026-03-21T00:00:00Z', format: 'json' });
    expect(out.exitCode).toBe(0);
    const doc = JSON.parse(out.report);
    expect(doc.format).toBe('keyform-rotation-report/1');
    expect(doc.summary).toEqual({ overdue: 0, due: 0, unknown: 0, healthy: 2, 'no-rotation': 1 });
    expect(doc.keys[0]).toMatchObject({ status: 'healthy', name: 'payments-svc', due_at: '2026-04-01T00:00:00Z', overdue_at: '2026-04-02T00:00:00Z' });
  });

  it('renders Markdown with the due keys in bold and never a secret', async () => {
    const out = await runRotationReport({ state: file('show.json', showJson), now: '2026-04-01T06:00:00Z', format: 'markdown' });
    expect(out.exitCode).toBe(2);
    expect(out.report).toContain('| **due** | `payments-svc` | LIVE | 90d (+24h) |');
    expect(out.report).not.toContain(PLANTED);
  });

  it('scrubs a secret-shaped name', async () => {
    const s = file('leaky.json', { version: 4, resources: [{ mode: 'managed', type: 'keyform_api_key', name: 'x', instances: [{ attributes: attrs({ name: 'fsk_live_PLANTEDname0002' }) }] }] });
    const out = await runRotationReport({ state: s, now: '2026-01-02T00:00:00Z' });
    expect(out.report).not.toContain('PLANTEDname');
    expect(out.report).toContain('[redacted]');
  });

  it.each([
    { reason: 'the state file is missing', opts: { state: join(dir, 'nope.tfstate') }, message: /was not found/ },
    { reason: 'the state is not JSON', opts: { state: file('bad.json', '{') }, message: /is not JSON/ },
    { reason: '--now is not a time', opts: { state: raw, now: 'tomorrow' }, message: /Invalid --now "tomorrow": use an RFC 3339 time/ },
    { reason: '--every is not a duration', opts: { state: raw, every: 'monthly' }, message: /Invalid --every "monthly"/ },
    { reason: 'the format is unknown', opts: { state: raw, format: 'csv' }, message: /Unknown --format "csv"/ },
    { reason: '--endpoint has no credentials', opts: { endpoint: 'http://127.0.0.1:9' }, message: /With --endpoint, pass --token/ },
  ])('refuses clearly when $reason', async ({ opts, message }) => {
    await expect(runRotationReport(opts)).rejects.toThrow(message);
  });
});

describe('keyform rotation-report (command)', () => {
  async function cli(args: string[]) {
    const program = new Command().exitOverride();
    register(program);
    let stdout = '';
    let stderr = '';
    const o = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((stdout += String(c)), true));
    const e = jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((stderr += String(c)), true));
    process.exitCode = 0;
    try {
      await program.parseAsync(['node', 'keyform', 'rotation-report', ...args]);
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
    const exitCode = Number(process.exitCode ?? 0);
    process.exitCode = 0;
    return { stdout, stderr, exitCode };
  }

  it('prints the report, the notice on stderr and exits 2 when a key is overdue', async () => {
    const r = await cli(['--state', file('cli.tfstate', rawState), '--now', '2026-04-05T00:00:00Z']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toContain('overdue');
    expect(r.stderr).toContain('overdue for rotation (exit 2)');
  });

  it('exits 1 with the message code on bad input', async () => {
    const r = await cli(['--state', join(dir, 'missing.tfstate')]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/\[KF-ROTATION-001\]\n$/);
  });
});

describe('runRotationReport from the API (reference server)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyform-rotation-api-'));
  const clientId = 'kfc_admin_rotationtests';
  const clientSecret = `kfcs_${randomBytes(18).toString('hex')}`;
  let server: Awaited<ReturnType<typeof startServer>>;
  let ids: string[] = [];

  beforeAll(async () => {
    server = await startServer({ dataDir, quiet: true, env: { KEYFORM_ADMIN_CLIENT_ID: clientId, KEYFORM_ADMIN_CLIENT_SECRET: clientSecret }, logSink: () => undefined } as never);
    const admin = new KeyformClient({ endpoint: server.url, clientId, clientSecret });
    try {
      const a = await admin.createApiKey({ mid: 'mid_123456', name: 'api-one', type: 'secret', scopes: ['charges:read'] });
      const b = await admin.createApiKey({ mid: 'mid_654321', name: 'api-two', type: 'secret', scopes: ['charges:read'] });
      const gone = await admin.createApiKey({ mid: 'mid_123456', name: 'api-revoked', type: 'secret', scopes: ['charges:read'] });
      await admin.revokeApiKey(gone.id);
      ids = [a.id, b.id];
    } finally {
      await admin.close();
    }
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists active keys with the --every policy; exits 2 once they are due', async () => {
    const later = new Date(Date.now() + 40 * 86400e3).toISOString();
    const progress: number[] = [];
    const out = await runRotationReport({ endpoint: server.url, clientId, clientSecret, every: '30d', now: later, format: 'json', onProgress: (n) => progress.push(n) });
    const doc = JSON.parse(out.report);
    expect(progress).toEqual([1, 2]);
    expect(doc.keys.map((k: { name: string }) => k.name).sort()).toEqual(['api-one', 'api-two']);
    expect(doc.keys.every((k: { status: string; policy: string }) => k.status === 'overdue' && k.policy === 'default')).toBe(true);
    expect(out.exitCode).toBe(2);
    expect(out.report).not.toContain(clientSecret);
  });

  it('takes policies from the state for the same key ids and filters by merchant', async () => {
    const state = file('api-state.json', {
      version: 4,
      resources: [{ mode: 'managed', type: 'keyform_api_key', name: 'one', instances: [{ attributes: attrs({ id: ids[0], name: 'api-one', rotation: { every: '90d', grace_period: '1h' } }) }] }],
    });
    const out = await runRotationReport({ endpoint: server.url, clientId, clientSecret, state, mid: 'mid_123456', format: 'json' });
    const doc = JSON.parse(out.report);
    expect(doc.keys).toHaveLength(1);
    expect(doc.keys[0]).toMatchObject({ address: 'keyform_api_key.one', status: 'healthy', every: '90d', grace_period: '1h', policy: 'declared' });
    expect(out.exitCode).toBe(0);
  });

  it('names the failure when the credentials are wrong, without echoing the secret', async () => {
    const err = await runRotationReport({ endpoint: server.url, token: 'fsk_test_WRONGtoken0000000' }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/^Listing keys from the API failed: .*Check --endpoint and the credentials/);
    expect((err as Error).message).not.toContain('WRONGtoken');
  });
});

describe('runRotationReport over several stacks (state files)', () => {
  /** A stack directory whose cdk.tf.json names the stack `stackName`, with a state file beside it. */
  function stack(dirName: string, stackName: string, keyName: string): string {
    const d = join(dir, dirName);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'cdk.tf.json'), JSON.stringify({ '//': { metadata: { stackName } }, resource: {} }));
    return file(join(dirName, 'terraform.tfstate'), { version: 4, resources: [{ mode: 'managed', type: 'keyform_api_key', name: 'pay', instances: [{ attributes: attrs({ name: keyName }) }] }] });
  }

  it.each([
    { reason: 'a newline and a Markdown heading', name: 'evil\n#### Stack `approved`', forbidden: '\n#### Stack `approved`' },
    { reason: 'a table row', name: 'x |\n| **high** | fake |', forbidden: '\n| **high** | fake |' },
  ])('keeps a hostile stack name ($reason) on one line of every format', async ({ name, forbidden }) => {
    const a = stack(`hostile-${forbidden.length}`, name, 'k-hostile');
    const b = stack(`plain-${forbidden.length}`, 'plain', 'k-plain');
    for (const format of ['text', 'markdown'] as const) {
      const out = await runRotationReport({ stacks: [a, b], now: '2026-01-02T00:00:00Z', format });
      expect(out.report).not.toContain(forbidden);
    }
    const json = JSON.parse((await runRotationReport({ stacks: [a, b], now: '2026-01-02T00:00:00Z', format: 'json' })).report);
    expect(json.stacks.map((s: { name: string }) => s.name).sort()).toEqual([name, 'plain'].sort());
  });

  it('redacts a secret-shaped stack name in every format', async () => {
    const a = stack('leaky-stack', 'fsk_live_PLANTEDstack0003', 'k-leaky');
    const b = stack('other-stack', 'other', 'k-other');
    for (const format of ['text', 'markdown', 'json'] as const) {
      const out = await runRotationReport({ stacks: [a, b], now: '2026-01-02T00:00:00Z', format });
      expect(out.report).not.toContain('PLANTEDstack');
      expect(out.report).not.toContain(PLANTED);
    }
  });
});
