/**
 * Benchmark (not a test): `terraform plan` over N keyform_api_key resources already in state, against
 * N builtin `terraform_data` resources in the same run (Terraform's own floor), for each N given.
 *
 *   npm run build && npx tsx bench/provider-plan.ts [N,N,...] [runs]      (default: 100,1000 and 3 runs)
 *
 * Reports per N: median plan wall time of each, their ratio, HTTP requests the server saw during one
 * keyform plan, peak RSS of the largest process of the plan (GNU time's %M: Terraform or the plugin),
 * and the plugin's start time (spawn to handshake line). Needs terraform and /usr/bin/time on PATH.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../src/server';
import { installProvider } from '../src/provider/install';
import { makeCertificate } from '../src/provider/plugin/certificate';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../src/provider/plugin/handshake';
import { VERSION } from '../src/version';

const ROOT = join(__dirname, '..');
const BUNDLE = join(ROOT, 'dist', 'provider', 'keyform-plugin.js');
const sizes = (process.argv[2] ?? '100,1000').split(',').map(Number);
const runs = Number(process.argv[3] ?? 3);

interface Timed { code: number; seconds: number; maxRssKb: number; stdout: string; stderr: string }

function timed(cwd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'KEYFORM_TIME %e %M', 'terraform', ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b));
    child.stderr.on('data', (b: Buffer) => (stderr += b));
    child.on('error', reject);
    child.on('close', (code) => {
      const m = /KEYFORM_TIME ([\d.]+) (\d+)/.exec(stderr);
      resolve({ code: code ?? 1, seconds: m ? Number(m[1]) : NaN, maxRssKb: m ? Number(m[2]) : NaN, stdout, stderr });
    });
  });
}

async function must(cwd: string, args: string[], env: NodeJS.ProcessEnv, ok = [0]): Promise<Timed> {
  const r = await timed(cwd, args, env);
  if (!ok.includes(r.code)) throw new Error(`terraform ${args.join(' ')} exited ${r.code}: ${r.stderr.slice(-2000)}`);
  return r;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Spawn-to-handshake-line time of the bundled plugin, median of 5. */
async function pluginStartMs(): Promise<number> {
  const cert = makeCertificate();
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(
      await new Promise<number>((resolve, reject) => {
        const t0 = process.hrtime.bigint();
        const child = spawn(process.execPath, [BUNDLE], {
          env: { ...process.env, [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '6', PLUGIN_CLIENT_CERT: cert.certPem },
          stdio: ['ignore', 'pipe', 'ignore'],
        });
        child.stdout.once('data', () => {
          resolve(Number(process.hrtime.bigint() - t0) / 1e6);
          child.kill('SIGKILL');
        });
        child.on('error', reject);
      }),
    );
  }
  return median(samples);
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'keyform-bench-plan-'));
  let requests = 0;
  const server = await startServer({
    dataDir: join(work, 'server'),
    env: { KEYFORM_ADMIN_CLIENT_ID: 'bench', KEYFORM_ADMIN_CLIENT_SECRET: 'bench-secret-0123456789' },
    rateLimit: 100_000,
    logSink: (line) => {
      if (line.includes('"status":')) requests++;
    },
  });
  const install = installProvider({ dir: join(work, 'tf'), bundle: BUNDLE, version: VERSION });
  const env = {
    ...process.env,
    TF_CLI_CONFIG_FILE: install.configPath,
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    KEYFORM_ENDPOINT: server.url,
    KEYFORM_CLIENT_ID: 'bench',
    KEYFORM_CLIENT_SECRET: 'bench-secret-0123456789',
    KEYFORM_MID: 'mid_123456',
  };
  const rows: string[] = [];
  try {
    const startMs = await pluginStartMs();
    for (const n of sizes) {
      const kf = join(work, `keyform-${n}`);
      const floor = join(work, `floor-${n}`);
      for (const d of [kf, floor]) rmSync(d, { recursive: true, force: true });
      const keys: Record<string, unknown> = {};
      const data: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        keys[`k${i}`] = { name: `bench-${i}`, type: 'secret', scopes: ['charges:read', 'customers:read'] };
        data[`d${i}`] = { input: `bench-${i}` };
      }
      mkdirSync(kf, { recursive: true });
      mkdirSync(floor, { recursive: true });
      writeFileSync(join(kf, 'main.tf.json'), JSON.stringify({ terraform: { required_providers: { keyform: { source: 'keyform/keyform', version: VERSION } } }, provider: { keyform: {} }, resource: { keyform_api_key: keys } }));
      writeFileSync(join(floor, 'main.tf.json'), JSON.stringify({ resource: { terraform_data: data } }));
      await must(kf, ['init', '-input=false', '-no-color'], env);
      await must(floor, ['init', '-input=false', '-no-color'], env);
      const applyKf = await must(kf, ['apply', '-auto-approve', '-input=false', '-no-color', '-parallelism=20'], env);
      const applyFloor = await must(floor, ['apply', '-auto-approve', '-input=false', '-no-color', '-parallelism=20'], env);
      const kfTimes: number[] = [];
      const floorTimes: number[] = [];
      let rss = 0;
      let perPlan = 0;
      for (let r = 0; r < runs; r++) {
        const before = requests;
        const p = await must(kf, ['plan', '-detailed-exitcode', '-input=false', '-no-color'], env);
        perPlan = requests - before;
        kfTimes.push(p.seconds);
        rss = Math.max(rss, p.maxRssKb);
        floorTimes.push((await must(floor, ['plan', '-detailed-exitcode', '-input=false', '-no-color'], env)).seconds);
      }
      const k = median(kfTimes);
      const f = median(floorTimes);
      rows.push(
        `| ${n} | ${k.toFixed(2)} s | ${f.toFixed(2)} s | ${(k / f).toFixed(2)} | ${perPlan} | ${(rss / 1024).toFixed(0)} MB | ${applyKf.seconds.toFixed(1)} s / ${applyFloor.seconds.toFixed(1)} s |`,
      );
      process.stderr.write(`N=${n} done\n`);
    }
    process.stdout.write(`plugin start (spawn to handshake line, median of 5): ${startMs.toFixed(0)} ms\n\n`);
    process.stdout.write('| N | keyform plan | terraform_data plan | ratio | HTTP requests per plan | peak RSS (largest process) | apply keyform / terraform_data |\n');
    process.stdout.write('| --- | --- | --- | --- | --- | --- | --- |\n');
    for (const r of rows) process.stdout.write(`${r}\n`);
  } finally {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
