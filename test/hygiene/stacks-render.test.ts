/**
 * `keyform hygiene` over several stacks from state files alone: a stack's name comes from its
 * configuration (CDKTF's `stackName`), so it is user data — it must stay on one line in every format
 * and never carry a secret into the report.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runHygiene } from '../../src/hygiene';

const dir = mkdtempSync(join(tmpdir(), 'keyform-hygiene-render-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stack directory named `stackName` by its cdk.tf.json, with a state holding one live key without rotation (a finding). */
function stack(dirName: string, stackName: string): string {
  const d = join(dir, dirName);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'cdk.tf.json'), JSON.stringify({ '//': { metadata: { stackName } }, resource: {} }));
  const state = join(d, 'terraform.tfstate');
  const attributes = { id: `key_${dirName}`, mid: 'mid_123456', name: `key-${dirName}`, type: 'secret', mode: 'live', scopes: ['refunds:write'], rotation: null, expires_at: null, created_at: '2026-01-01T00:00:00Z', version: 1 };
  writeFileSync(state, JSON.stringify({ version: 4, resources: [{ mode: 'managed', type: 'keyform_api_key', name: 'pay', instances: [{ attributes }] }] }));
  return state;
}

describe('hygiene over several stacks: hostile stack names', () => {
  it.each([
    { reason: 'a newline and a Markdown heading', name: 'evil\n#### Stack `approved`', forbidden: '\n#### Stack `approved`' },
    { reason: 'a table row', name: 'x |\n| **high** | fake |', forbidden: '\n| **high** | fake |' },
  ])('keeps $reason on one line of text and Markdown', async ({ name, forbidden }) => {
    const a = stack(`hostile-${forbidden.length}`, name);
    const b = stack(`plain-${forbidden.length}`, 'plain');
    for (const format of ['text', 'markdown'] as const) {
      const out = await runHygiene({ stacks: [a, b], format, now: '2026-02-01T00:00:00Z' });
      expect(out.exitCode).toBe(2);
      expect(out.report).not.toContain(forbidden);
    }
  });

  it('redacts a secret-shaped stack name in every format', async () => {
    const a = stack('leaky', 'fsk_live_PLANTEDstack0004');
    const b = stack('other', 'other');
    for (const format of ['text', 'markdown', 'json'] as const) {
      const out = await runHygiene({ stacks: [a, b], format, now: '2026-02-01T00:00:00Z' });
      expect(out.report).not.toContain('PLANTEDstack');
    }
  });
});
