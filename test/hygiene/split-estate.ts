/**
 * A split estate for the multi-stack report tests: two real stacks applied by Terraform with
 * keyform's provider against the reference server, both declaring `keyform_api_key.pay` (addresses
 * repeat across stacks; ids do not), reachable as one directory of stacks (`<root>/payments`,
 * `<root>/support`). payments holds a live key rotated every second (due at once); support a test
 * key used on one route (recorded in its state by a refresh), so one of its two scopes is unused. Requires `npm run build` first.
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workspace, header, removeProvider } from '../acceptance/workspace';
import { KeyformClient } from '../../src/client';
import { startTestServer, type TestServer } from '../support/server';

/** The applied estate. */
export interface SplitEstate {
  /** The directory of stacks: `payments` and `support`, each a Terraform working directory. */
  readonly root: string;
  readonly payments: Workspace;
  readonly support: Workspace;
  /** Every secret value the stacks' states hold (for leak checks). */
  readonly secrets: string[];
  /** Key ids by stack. */
  readonly ids: { readonly payments: string; readonly support: string };
  destroy(): Promise<void>;
}

const PAYMENTS = `${header('  allow_live = true')}
resource "keyform_api_key" "pay" {
  name   = "payments-svc"
  type   = "secret"
  mode   = "live"
  scopes = ["refunds:write"]
  rotation {
    every        = "1s"
    grace_period = "1h"
  }
}
`;

const SUPPORT = `${header()}
resource "keyform_api_key" "pay" {
  name   = "support-kb"
  type   = "secret"
  scopes = ["api_keys:read", "audit_log:read"]
}
`;

/** Applies both stacks against `server`. */
export async function applySplitEstate(server: TestServer): Promise<SplitEstate> {
  const payments = await Workspace.create(server);
  const support = await Workspace.create(server);
  payments.write(PAYMENTS);
  support.write(SUPPORT);
  await payments.apply();
  await support.apply();
  const root = mkdtempSync(join(tmpdir(), 'keyform-estate-'));
  symlinkSync(payments.dir, join(root, 'payments'));
  symlinkSync(support.dir, join(root, 'support'));
  const pay = payments.resource('keyform_api_key.pay')!;
  let sup = support.resource('keyform_api_key.pay')!;
  // The support key exercises one of its two scopes; a refresh records its last use in the state.
  const res = await fetch(`${server.url}/v1/api-keys?limit=1`, { headers: { authorization: `Bearer ${String(sup.value)}` } });
  if (res.status !== 200) throw new Error(`using the support key failed: ${res.status}`);
  const refreshed = await support.run(['apply', '-refresh-only', '-auto-approve', '-input=false']);
  if (refreshed.code !== 0) throw new Error(`refresh failed:\n${refreshed.output}`);
  sup = support.resource('keyform_api_key.pay')!;
  return {
    root,
    payments,
    support,
    secrets: [String(pay.value), String(sup.value)],
    ids: { payments: String(pay.id), support: String(sup.id) },
    async destroy() {
      for (const ws of [payments, support]) {
        await ws.destroy().catch(() => undefined);
        await ws.remove();
      }
      rmSync(root, { recursive: true, force: true });
      await removeProvider();
    },
  };
}

/** A reference server with the split estate applied and one key made by hand (no stack declares it). */
export interface SplitEstateFixture {
  readonly server: TestServer;
  readonly estate: SplitEstate;
  /** The key made by hand through the API. */
  readonly handMade: { id: string; value: string };
  /** Destroys the estate and stops the server. */
  stop(): Promise<void>;
}

/** Starts a server, applies the split estate and makes one key by hand: the set-up of the several-stack report tests. */
export async function startSplitEstate(): Promise<SplitEstateFixture> {
  const server = await startTestServer();
  let estate: SplitEstate | undefined;
  try {
    estate = await applySplitEstate(server);
    const admin = new KeyformClient({ endpoint: server.url, clientId: server.adminClientId, clientSecret: server.adminClientSecret });
    let handMade: { id: string; value: string };
    try {
      const k = await admin.createApiKey({ mid: 'mid_123456', name: 'made-by-hand', type: 'secret', scopes: ['api_keys:read'] });
      handMade = { id: k.id, value: k.value };
    } finally {
      await admin.close();
    }
    const applied = estate;
    return {
      server,
      estate: applied,
      handMade,
      async stop() {
        await applied.destroy();
        await server.stop();
      },
    };
  } catch (e) {
    await estate?.destroy();
    await server.stop();
    throw e;
  }
}
