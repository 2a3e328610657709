/**
 * Crash safety with the real Terraform CLI: an apply of 200 `keyform_api_key` resources loses its
 * plugin process (SIGKILL) or its API server (SIGKILL, restarted on the same data directory) half way.
 * The next apply must converge on exactly 200 keys: none lost, none created twice, every key on the
 * server in Terraform's state (orphans of the crash adopted, not leaked).
 */
import { KeyformClient } from '../../src/client';
import type { ApiKey } from '../../src/model';
import { startTestServer, TestServer } from '../support/server';
import type { TerraformWorkdir } from '../support/terraform';
import {
  InstalledProvider,
  activeCount,
  converged,
  errorSummaries,
  fleetConfig,
  fleetSnapshot,
  fleetWorkdir,
  installFleetProvider,
  pidsWithCommandLine,
  serverKeys,
  stateKeys,
  uniquePrefix,
  verificationClient,
  waitUntil,
} from './fleet';
import { startResponseGate } from './response-gate';

jest.setTimeout(180_000);

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

describe('the plugin process killed mid-apply', () => {
  it('GIVEN an apply of 200 keys WHEN its plugin is SIGKILLed with creates committed but unanswered THEN the apply fails and the next one adopts every orphan: exactly 200 keys, all in state', async () => {
    const { server, client, tf, done } = await scenario();
    const gate = await startResponseGate(server.url);
    try {
      const prefix = uniquePrefix('plugin-kill');
      tf.writeConfig(fleetConfig(prefix, COUNT, SHAPE));
      // The plugin reaches the server through the gate, so the crash can land right after commits.
      const applying = tf.apply([PARALLELISM], { env: { KEYFORM_ENDPOINT: gate.url } });
      await waitUntil(`${CRASH_AT} keys on the server`, async () => (await activeCount(client, prefix)) >= CRASH_AT, 120_000, 25);
      gate.hold();
      // Let the creates already sent commit; their responses stay in the gate.
      await new Promise((r) => setTimeout(r, 300));
      const pids = pidsWithCommandLine(installed.installDir);
      expect(pids.length).toBeGreaterThan(0);
      for (const pid of pids) process.kill(pid, 'SIGKILL');
      const crashed = await applying;
      await gate.close();

      expect(crashed.code).toBe(1);
      const atCrash = ids(await serverKeys(client, prefix));
      const inState = new Set(stateKeys(tf).map((k) => k.id));
      const orphans = atCrash.filter((id) => !inState.has(id));
      measured.pluginKill = { keysAtCrash: atCrash.length, heldResponses: gate.heldResponses(), inStateAfterCrash: inState.size, orphans: orphans.length };
      // The scenario really happened: keys exist that the crashed apply never recorded.
      expect(orphans.length).toBeGreaterThan(0);
      expect(atCrash.length).toBeLessThan(COUNT);

      const again = await tf.apply([PARALLELISM]);
      expect({ code: again.code, errors: errorSummaries(again) }).toEqual({ code: 0, errors: [] });
      expect(await fleetSnapshot(client, tf, prefix)).toEqual(converged(COUNT));
      // Adopted under their ids (same keys, fresh secrets), not created again.
      const finalIds = new Set(stateKeys(tf).map((k) => k.id));
      expect(orphans.filter((id) => !finalIds.has(id))).toEqual([]);
      const plan = await tf.plan([PARALLELISM]);
      expect({ code: plan.code, errors: errorSummaries(plan) }).toEqual({ code: 0, errors: [] });
    } finally {
      await gate.close().catch(() => undefined);
      await done();
    }
  });
});

describe('the API server killed mid-apply', () => {
  it('GIVEN an apply of 200 keys WHEN the server is SIGKILLed with creates committed but unanswered and restarted on its data directory THEN nothing acknowledged is lost and the apply (or the next one) converges on exactly 200 keys', async () => {
    const { server, client, tf, done } = await scenario();
    const gate = await startResponseGate(server.url);
    try {
      const prefix = uniquePrefix('server-kill');
      tf.writeConfig(fleetConfig(prefix, COUNT, SHAPE));
      const applying = tf.apply([PARALLELISM], { env: { KEYFORM_ENDPOINT: gate.url } });
      await waitUntil(`${CRASH_AT} keys on the server`, async () => (await activeCount(client, prefix)) >= CRASH_AT, 120_000, 25);
      gate.hold();
      // Let the creates already sent commit; the crash then loses their responses.
      await new Promise((r) => setTimeout(r, 300));
      const acknowledged = ids(await serverKeys(client, prefix));
      server.kill('SIGKILL');
      await server.restart();
      gate.release();
      const first = await applying;
      const heldResponses = gate.heldResponses();
      await gate.close();

      // Every key the server had acknowledged before the crash survived it, and so did every key
      // Terraform recorded.
      const afterRestart = new Set(ids(await serverKeys(client, prefix)));
      expect(acknowledged.filter((id) => !afterRestart.has(id))).toEqual([]);
      expect(stateKeys(tf).filter((k) => !afterRestart.has(k.id)).map((k) => k.name)).toEqual([]);
      // The scenario really happened: the crash lost responses of requests in flight.
      expect(heldResponses).toBeGreaterThan(0);

      let applies = 1;
      if (first.code !== 0) {
        const again = await tf.apply([PARALLELISM]);
        applies++;
        expect({ code: again.code, errors: errorSummaries(again) }).toEqual({ code: 0, errors: [] });
      }
      measured.serverKill = { keysAtCrash: acknowledged.length, heldResponses, firstApplySucceeded: first.code === 0 ? 1 : 0, applies };
      expect(await fleetSnapshot(client, tf, prefix)).toEqual(converged(COUNT));
      const plan = await tf.plan([PARALLELISM]);
      expect({ code: plan.code, errors: errorSummaries(plan) }).toEqual({ code: 0, errors: [] });
    } finally {
      await gate.close().catch(() => undefined);
      await done();
    }
  });
});
