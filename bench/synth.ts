/**
 * Benchmark (not a test): synthesizes 1,000 API keys and 100 OAuth authorizations, each with one
 * project access and two MCP-server grants (1,300 resources), with validation and the credential
 * policy, into a temporary directory. Target: at most 3 s for the whole synth.
 *
 *   npx tsx bench/synth.ts [keys=1000] [authorizations=100] [runs=3]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { ApiKey, Capability, CredentialPolicy, Duration, KeyformProvider, KeyMode, KeyType, OAuthAuthorization, ProjectRole, Scope } from '../src';

const keys = Number(process.argv[2] ?? 1000);
const authorizations = Number(process.argv[3] ?? 100);
const runs = Number(process.argv[4] ?? 3);
const PROJECTS = ['proj_payments', 'proj_support', 'proj_platform'];
const SERVERS: Record<string, string[]> = {
  proj_payments: ['billing-flow', 'refunds-flow'],
  proj_support: ['support-kb'],
  proj_platform: ['deploy-flow'],
};

function once(): { buildMs: number; synthMs: number; bytes: number } {
  const outdir = mkdtempSync(join(tmpdir(), 'keyform-bench-synth-'));
  try {
    const t0 = process.hrtime.bigint();
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'bench');
    new KeyformProvider(stack, 'keyform', { mid: 'mid_123456', allowLive: true });
    for (let i = 0; i < keys; i++) {
      const live = i % 10 === 0;
      const key = new ApiKey(stack, `key-${i}`, {
        name: `service-${i}`,
        type: KeyType.SECRET,
        mode: live ? KeyMode.LIVE : KeyMode.TEST,
        scopes: [Scope.read('customers'), Scope.read('charges'), live ? Scope.write('refunds') : Scope.read('refunds')],
        rotation: { every: Duration.days(90), gracePeriod: Duration.hours(24) },
      });
      if (live) CredentialPolicy.acknowledge(key, 'KF102', 'bench: refund services');
    }
    for (let i = 0; i < authorizations; i++) {
      const project = PROJECTS[i % PROJECTS.length];
      const auth = new OAuthAuthorization(stack, `auth-${i}`, { name: `assistant-${i}`, ownerId: 'usr_alice', capabilities: [Capability.MCP, Capability.API] });
      auth.grantProject(project, ProjectRole.VIEWER);
      for (const server of SERVERS[project]) auth.grantMcpServer(server, { project });
    }
    CredentialPolicy.addTo(stack);
    const t1 = process.hrtime.bigint();
    app.synth();
    const t2 = process.hrtime.bigint();
    const bytes = statSync(join(outdir, 'stacks', 'bench', 'cdk.tf.json')).size;
    return { buildMs: Number(t1 - t0) / 1e6, synthMs: Number(t2 - t1) / 1e6, bytes };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const results = Array.from({ length: runs }, once);
const fmt = (n: number) => n.toFixed(0).padStart(6);
process.stdout.write(`keyform synth bench: ${keys} api keys + ${authorizations} authorizations (with grants), node ${process.version}\n`);
results.forEach((r, i) =>
  process.stdout.write(`run ${i + 1}: construct ${fmt(r.buildMs)} ms, synth ${fmt(r.synthMs)} ms, total ${fmt(r.buildMs + r.synthMs)} ms, cdk.tf.json ${(r.bytes / 1024).toFixed(0)} KiB\n`),
);
const best = Math.min(...results.map((r) => r.buildMs + r.synthMs));
process.stdout.write(`best total ${best.toFixed(0)} ms (target <= 3000 ms): ${best <= 3000 ? 'OK' : 'OVER TARGET'}\n`);
