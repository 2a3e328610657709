/**
 * `mode` on keyform_oauth_authorization against the real Terraform CLI and reference server: a live
 * authorization is refused without `allow_live` (nothing is created), created with it, the next plan
 * is empty, import reads the mode back, a mode change is a replacement, destroy deletes it on the
 * server, and the tokens it issues carry its mode.
 */
import { Workspace, header, acceptanceSuite } from './workspace';

jest.setTimeout(240_000);

const { server, client, workspace } = acceptanceSuite();

const config = (opts: { allowLive: boolean; mode?: string; name?: string }) => `${header(opts.allowLive ? '  allow_live = true' : '')}
resource "keyform_oauth_authorization" "assistant" {
  name         = "${opts.name ?? 'live-assistant'}"
  owner_id     = "usr_alice"
${opts.mode ? `  mode         = "${opts.mode}"\n` : ''}  capabilities = ["mcp"]
}
`;

async function names(): Promise<{ name: string; mode: string; id: string }[]> {
  const page = await client.listAuthorizations({ limit: 1000 });
  return page.data.map((a) => ({ name: a.name, mode: a.mode, id: a.id }));
}

describe('keyform_oauth_authorization mode', () => {
  const ws = workspace();
  let id = '';

  it('GIVEN mode = "live" WHEN the provider does not allow live THEN plan fails naming allow_live and nothing is created', async () => {
    ws.write(config({ allowLive: false, mode: 'live' }));
    const plan = await ws.plan();
    expect(plan.code).toBe(1);
    expect(plan.output).toMatch(/allow_live/);
    const apply = await ws.run(['apply', '-auto-approve', '-no-color']);
    expect(apply.code).not.toBe(0);
    expect((await names()).filter((a) => a.name === 'live-assistant')).toEqual([]);
  });

  it('GIVEN allow_live WHEN applied THEN the server holds a live authorization, its tokens are live, and the next plan is empty', async () => {
    ws.write(config({ allowLive: true, mode: 'live' }));
    await ws.apply();
    const state = ws.resource('keyform_oauth_authorization.assistant')!;
    expect(state.mode).toBe('live');
    id = state.id as string;
    expect((await client.getAuthorization(id)).mode).toBe('live');
    const token = await fetch(`${server.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: state.client_id as string, client_secret: state.client_secret as string }).toString(),
    });
    expect(token.status).toBe(200);
    const { access_token } = (await token.json()) as { access_token: string };
    const info = await client.introspectToken({ token: access_token });
    expect(info).toMatchObject({ active: true, mode: 'live', authorization_id: id });
    expect((await ws.plan()).code).toBe(0);
  });

  it('GIVEN the live authorization WHEN imported into a fresh state THEN mode is read back and the plan is empty', async () => {
    const fresh = await Workspace.create(server);
    try {
      fresh.write(config({ allowLive: true, mode: 'live' }));
      const imported = await fresh.import('keyform_oauth_authorization.assistant', id);
      expect(imported.code).toBe(0);
      expect(fresh.resource('keyform_oauth_authorization.assistant')).toMatchObject({ id, mode: 'live', kind: 'oauth2', owner_id: 'usr_alice' });
      expect((await fresh.plan()).code).toBe(0);
    } finally {
      await fresh.remove();
    }
  });

  it('GIVEN allow_live is then switched off WHEN planning THEN even managing the live authorization is refused', async () => {
    ws.write(config({ allowLive: false, mode: 'live' }));
    const plan = await ws.plan();
    expect(plan.code).toBe(1);
    expect(plan.output).toMatch(/allow_live/);
  });

  it('GIVEN mode changes to test WHEN applied THEN the authorization is replaced (mode is immutable) and the old one is gone', async () => {
    ws.write(config({ allowLive: true, mode: 'test' }));
    const plan = await ws.run(['plan', '-no-color']);
    expect(plan.output).toMatch(/mode\s+= "live" -> "test" # forces replacement/);
    await ws.apply();
    const state = ws.resource('keyform_oauth_authorization.assistant')!;
    expect(state.mode).toBe('test');
    expect(state.id).not.toBe(id);
    const all = await names();
    expect(all.find((a) => a.id === id)).toBeUndefined();
    expect(all.find((a) => a.id === state.id)).toMatchObject({ mode: 'test' });
    id = state.id as string;
  });

  it('GIVEN no mode WHEN planned THEN it is test (the default) and the plan is empty', async () => {
    ws.write(config({ allowLive: false }));
    expect((await ws.plan()).code).toBe(0);
  });

  it('WHEN destroyed THEN the authorization is gone on the server', async () => {
    await ws.destroy();
    expect((await names()).find((a) => a.id === id)).toBeUndefined();
    // Nothing of a secret in any Terraform output.
    expect(ws.transcript.join('\n')).not.toMatch(/fcs_[0-9A-Za-z]{32}/);
  });
});
