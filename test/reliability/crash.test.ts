/**
 * Crash safety with the real Terraform CLI: an apply of 200 `keyform_api_key` resources loses its
 * plugin process (SIGKILL) or its API server (SIGKILL, restarted on the same data directory) half way.
 * The next apply must converge on exactly 200 keys: none lost, none created twice, every key on the
 * server in Terraform's state (orphans of the crash adopted, not leaked).
 */
import { KeyformClient } from '../../src/client';
import type { ApiKey } from '../../src/model';
import { startTestServer, TestServer } from '../support/server';
import type { TerraformResult, TerraformWorkdir } from '../support/terraform';
import {
  FLEET_HEADER,
  InstalledProvider,
  activeCount,
  converged,
  errorSummaries,
  fleetConfig,
  fleetSnapshot,
  fleetWorkdir,
  installFleetProvider,
  pluginPids,
  serverKeys,
  stateKeys,
  uniquePrefix,
  verificationClient,
  waitUntil,
} from './fleet';
import { startResponseGate, type ResponseGate } from './response-gate';

jest.setTimeout(420_000);

const COUNT = 200;
/** The crash happens once this many keys exist on the server (the issue asks for 50-100 of 200). */
const CRASH_AT = 50;
const PARALLELISM = '-parallelism=10';
const SHAPE = { description: 'crash safety', scopes: ['customers:read'] };

let installed: InstalledProvider;
/** What each scenario measured, reported at the end. */
const measured: Record<string, Record<string, number>> = {};

beforeAll(async () => {
  installed = await installFleetProvider();
});

afterAll(async () => {
  if (Object.keys(measured).length) console.log(`crash safety, ${COUNT} keys: ${JSON.stringify(measured)}`);
  await installed?.provider.remove();
});

/** A fresh server (its own data directory), verification client and working directory. */
async function scenario(): Promise<{ server: TestServer; client: KeyformClient; tf: TerraformWorkdir; done(): Promise<void> }> {
  const server = await startTestServer({ args: ['--rate-limit', '1000000'] });
  const client = verificationClient(server);
  const tf = await fleetWorkdir(installed, server);
  return {
    server,
    client,
    tf,
    async done() {
      await client.close();
      await server.stop();
      await tf.remove();
    },
  };
}

const ids = (keys: ApiKey[]) => keys.filter((k) => k.status === 'active').map((k) => k.id);

/** What an apply crashed half way returned, and how many responses the crash withheld. */
interface Crashed {
  readonly result: TerraformResult;
  readonly heldResponses: number;
}

/**
 * The crash every scenario stages: an apply of `tf` whose plugin reaches the server through a
 * response gate runs until `ready` holds; then the gate holds every response, the creates already
 * sent get time to commit, and `crash` kills something (the plugin, or the server) while their
 * responses are still unanswered. Returns when the apply has ended.
 */
async function applyAndCrash(
  server: TestServer,
  tf: TerraformWorkdir,
  ready: { readonly what: string; readonly check: () => Promise<boolean> },
  crash: (gate: ResponseGate) => Promise<void>,
): Promise<Crashed> {
  const gate = await startResponseGate(server.url);
  try {
    const applying = tf.apply([PARALLELISM], { env: { KEYFORM_ENDPOINT: gate.url } });
    await waitUntil(ready.what, ready.check, 120_000, 25);
    gate.hold();
    // Let the creates already sent commit; their responses stay in the gate.
    await new Promise((r) => setTimeout(r, 300));
    await crash(gate);
    const result = await applying;
    return { result, heldResponses: gate.heldResponses() };
  } finally {
    await gate.close().catch(() => undefined);
  }
}

/** SIGKILLs the plugin processes of the working directory `dir` (there must be one). */
async function killPlugin(dir: string): Promise<void> {
  const pids = pluginPids(dir);
  expect(pids.length).toBeGreaterThan(0);
  for (const pid of pids) process.kill(pid, 'SIGKILL');
}

/** Expects a Terraform command to have succeeded without an error diagnostic. */
function expectSucceeded(r: TerraformResult): void {
  expect({ code: r.code, errors: errorSummaries(r) }).toEqual({ code: 0, errors: [] });
}

describe('the plugin process killed mid-apply', () => {
  it('GIVEN an apply of 200 keys WHEN its plugin is SIGKILLed with creates committed but unanswered THEN the apply fails and the next one adopts every orphan: exactly 200 keys, all in state', async () => {
    const { server, client, tf, done } = await scenario();
    try {
      const prefix = uniquePrefix('plugin-kill');
      tf.writeConfig(fleetConfig(prefix, COUNT, SHAPE));
      const crashed = await applyAndCrash(server, tf, { what: `${CRASH_AT} keys on the server`, check: async () => (await activeCount(client, prefix)) >= CRASH_AT }, () => killPlugin(tf.dir));

      expect(crashed.result.code).toBe(1);
      const atCrash = ids(await serverKeys(client, prefix));
      const inState = new Set(stateKeys(tf).map((k) => k.id));
      const orphans = atCrash.filter((id) => !inState.has(id));
      measured.pluginKill = { keysAtCrash: atCrash.length, heldResponses: crashed.heldResponses, inStateAfterCrash: inState.size, orphans: orphans.length };
      // The scenario really happened: keys exist that the crashed apply never recorded.
      expect(orphans.length).toBeGreaterThan(0);
      expect(atCrash.length).toBeLessThan(COUNT);

      expectSucceeded(await tf.apply([PARALLELISM]));
      expect(await fleetSnapshot(client, tf, prefix)).toEqual(converged(COUNT));
      // Adopted under their ids (same keys, fresh secrets), not created again.
      const finalIds = new Set(stateKeys(tf).map((k) => k.id));
      expect(orphans.filter((id) => !finalIds.has(id))).toEqual([]);
      expectSucceeded(await tf.plan([PARALLELISM]));
    } finally {
      await done();
    }
  });
});

describe('the API server killed mid-apply', () => {
  it('GIVEN an apply of 200 keys WHEN the server is SIGKILLed with creates committed but unanswered and restarted on its data directory THEN nothing acknowledged is lost and the apply (or the next one) converges on exactly 200 keys', async () => {
    const { server, client, tf, done } = await scenario();
    try {
      const prefix = uniquePrefix('server-kill');
      tf.writeConfig(fleetConfig(prefix, COUNT, SHAPE));
      let acknowledged: string[] = [];
      // The crash loses the responses of the creates in flight.
      const { result: first, heldResponses } = await applyAndCrash(
        server,
        tf,
        { what: `${CRASH_AT} keys on the server`, check: async () => (await activeCount(client, prefix)) >= CRASH_AT },
        async (gate) => {
          acknowledged = ids(await serverKeys(client, prefix));
          server.kill('SIGKILL');
          await server.restart();
          gate.release();
        },
      );

      // Every key the server had acknowledged before the crash survived it, and so did every key
      // Terraform recorded.
      const afterRestart = new Set(ids(await serverKeys(client, prefix)));
      expect(acknowledged.filter((id) => !afterRestart.has(id))).toEqual([]);
      expect(stateKeys(tf).filter((k) => !afterRestart.has(k.id)).map((k) => k.name)).toEqual([]);
      // The scenario really happened: the crash lost responses of requests in flight.
      expect(heldResponses).toBeGreaterThan(0);

      let applies = 1;
      if (first.code !== 0) {
        expectSucceeded(await tf.apply([PARALLELISM]));
        applies++;
      }
      measured.serverKill = { keysAtCrash: acknowledged.length, heldResponses, firstApplySucceeded: first.code === 0 ? 1 : 0, applies };
      expect(await fleetSnapshot(client, tf, prefix)).toEqual(converged(COUNT));
      expectSucceeded(await tf.plan([PARALLELISM]));
    } finally {
      await done();
    }
  });
});

/** Whether a secret authenticates against the server (any valid bearer may read the scope catalog). */
async function authenticates(server: TestServer, secret: string): Promise<boolean> {
  const res = await fetch(`${server.url}/v1/scopes`, { headers: { authorization: `Bearer ${secret}` } });
  return res.status === 200;
}

describe('two workspaces declaring the same key names', () => {
  const SAME = 60;
  it('GIVEN workspace A applied 60 keys WHEN workspace B, declaring the same names, is SIGKILLed mid-apply and applies again THEN A keeps its keys (same ids, working secrets) and B gets 60 keys of its own', async () => {
    const { server, client, tf: a, done } = await scenario();
    const b = await fleetWorkdir(installed, server);
    try {
      const prefix = uniquePrefix('same-names');
      a.writeConfig(fleetConfig(prefix, SAME, SHAPE));
      expectSucceeded(await a.apply([PARALLELISM]));
      const aKeys = stateKeys(a);
      expect(aKeys).toHaveLength(SAME);

      b.writeConfig(fleetConfig(prefix, SAME, SHAPE));
      const crashed = await applyAndCrash(server, b, { what: `B's first keys on the server`, check: async () => (await activeCount(client, prefix)) >= SAME + 20 }, () => killPlugin(b.dir));
      expect(crashed.result.code).toBe(1);
      const aIds = new Set(aKeys.map((k) => k.id));
      const orphans = ids(await serverKeys(client, prefix)).filter((id) => !aIds.has(id) && !stateKeys(b).some((k) => k.id === id));
      measured.sameNames = { bKeysAtCrash: ids(await serverKeys(client, prefix)).length - SAME, orphans: orphans.length };
      expect(orphans.length).toBeGreaterThan(0);

      expectSucceeded(await b.apply([PARALLELISM]));
      const bKeys = stateKeys(b);
      expect(bKeys).toHaveLength(SAME);
      // B recovered its own orphans and never touched A's keys.
      expect(bKeys.filter((k) => aIds.has(k.id))).toEqual([]);
      expect(orphans.filter((id) => !bKeys.some((k) => k.id === id))).toEqual([]);
      expect(ids(await serverKeys(client, prefix))).toHaveLength(2 * SAME);
      const aNow = stateKeys(a);
      expect(aNow.map((k) => k.id)).toEqual(aKeys.map((k) => k.id));
      const onServer = new Map((await serverKeys(client, prefix)).map((k) => [k.id, k]));
      expect(aKeys.filter((k) => onServer.get(k.id)?.version !== 1).map((k) => k.name)).toEqual([]);
      const dead: string[] = [];
      for (const k of aKeys) if (!(await authenticates(server, k.value!))) dead.push(k.name);
      expect(dead).toEqual([]);
      for (const tf of [a, b]) expectSucceeded(await tf.plan([PARALLELISM]));
      // B's destroy revokes B's keys only.
      expect((await b.destroy([PARALLELISM])).code).toBe(0);
      expect(ids(await serverKeys(client, prefix)).sort()).toEqual([...aIds].sort());
    } finally {
      await b.remove();
      await done();
    }
  });
});

describe('authorizations: the plugin killed mid-apply', () => {
  const AUTHS = 40;
  const config = (prefix: string) => `${FLEET_HEADER}resource "keyform_oauth_authorization" "a" {
  count        = ${AUTHS}
  name         = "${prefix}\${count.index}"
  owner_id     = "usr_alice"
  capabilities = ["mcp"]
}
`;
  it('GIVEN an apply of 40 authorizations WHEN its plugin is SIGKILLed with creates committed but unanswered THEN the next apply recovers them: exactly 40, all in state, none leaked', async () => {
    const { server, client, tf, done } = await scenario();
    const named = async (prefix: string) => (await client.listAllAuthorizations({ limit: 1000 })).filter((x) => x.name.startsWith(prefix));
    const inState = () =>
      ((JSON.parse(tf.read('terraform.tfstate')) as { resources?: Array<{ type: string; instances: Array<{ attributes: { id: string } }> }> }).resources ?? [])
        .filter((r) => r.type === 'keyform_oauth_authorization')
        .flatMap((r) => r.instances.map((i) => i.attributes.id));
    try {
      const prefix = uniquePrefix('auth-kill');
      tf.writeConfig(config(prefix));
      const crashed = await applyAndCrash(server, tf, { what: '10 authorizations on the server', check: async () => (await named(prefix)).length >= 10 }, () => killPlugin(tf.dir));
      expect(crashed.result.code).toBe(1);
      const atCrash = (await named(prefix)).map((x) => x.id);
      const recorded = new Set(tf.exists('terraform.tfstate') ? inState() : []);
      const orphans = atCrash.filter((id) => !recorded.has(id));
      measured.authorizationKill = { atCrash: atCrash.length, orphans: orphans.length };
      expect(orphans.length).toBeGreaterThan(0);

      expectSucceeded(await tf.apply([PARALLELISM]));
      const final = (await named(prefix)).map((x) => x.id);
      expect(final).toHaveLength(AUTHS);
      expect(new Set(inState())).toEqual(new Set(final));
      expect(orphans.filter((id) => !final.includes(id))).toEqual([]);
      expectSucceeded(await tf.plan([PARALLELISM]));
    } finally {
      await done();
    }
  });
});
