/**
 * Latency of the reference server as a client sees it: the server runs in its own process
 * (`node bin/keyform serve`), this process sends one request at a time over a keep-alive connection
 * and reports percentiles per operation and store size.
 *
 *   npm run build && npx tsx bench/server-latency.ts [--sizes 100,1000,10000] [--samples 200]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const bin = join(root, 'bin', 'keyform');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const sizes = arg('sizes', '100,1000,10000').split(',').map(Number);
const samples = Number(arg('samples', '200'));
const createSamples = Number(arg('creates', '500'));

/** Percentile of sorted values (nearest rank). */
function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function timed(fn: () => Promise<Response>): Promise<number> {
  const t0 = performance.now();
  const res = await fn();
  await res.arrayBuffer();
  const ms = performance.now() - t0;
  if (!res.ok) throw new Error(`request failed: ${res.status}`);
  return ms;
}

async function main(): Promise<void> {
  if (!existsSync(join(root, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first.');
  const dataDir = mkdtempSync(join(tmpdir(), 'keyform-bench-'));
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--data', dataDir, '--quiet', '--rate-limit', '1000000'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((res, rej) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) res(m[1]);
    });
    child.once('exit', (c) => rej(new Error(`server exited ${c}`)));
  });
  try {
    const creds = JSON.parse(readFileSync(join(dataDir, 'admin-credentials.json'), 'utf8')) as { client_id: string; client_secret: string };
    const tokenRes = await fetch(`${url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', ...creds }),
    });
    const token = ((await tokenRes.json()) as { access_token: string }).access_token;
    const auth = { authorization: `Bearer ${token}` };
    // Warm up both processes' JIT so the first tier is not measuring compilation.
    for (let i = 0; i < 300; i++) await timed(() => fetch(`${url}/v1/scopes`, { headers: auth }));
    const rows: { op: string; size: number; n: number; values: number[] }[] = [];
    let count = 0;
    let lastId = '';
    let keyValue = '';
    for (const size of sizes) {
      const creates: number[] = [];
      while (count < size) {
        const t0 = performance.now();
        const res = await fetch(`${url}/v1/api-keys`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ mid: count % 2 ? 'mid_123456' : 'mid_654321', name: `bench-${count}`, type: 'secret', scopes: ['customers:read', 'charges:read'] }),
        });
        const body = (await res.json()) as { id: string; value: string };
        creates.push(performance.now() - t0);
        if (res.status !== 201) throw new Error(`create failed: ${res.status}`);
        lastId = body.id;
        if (!keyValue) keyValue = body.value;
        count++;
      }
      // The last creates are the ones made at (close to) this store size.
      rows.push({ op: 'create key', size, n: Math.min(createSamples, creates.length), values: creates.slice(-createSamples) });
      const measure = async (op: string, fn: () => Promise<Response>) => {
        const values: number[] = [];
        for (let i = 0; i < samples; i++) values.push(await timed(fn));
        rows.push({ op, size, n: samples, values });
      };
      await measure('list first page (limit 100)', () => fetch(`${url}/v1/api-keys?limit=100`, { headers: auth }));
      await measure('list filtered by mid (limit 100)', () => fetch(`${url}/v1/api-keys?mid=mid_123456&limit=100`, { headers: auth }));
      await measure('get key by id', () => fetch(`${url}/v1/api-keys/${lastId}`, { headers: auth }));
      await measure('authenticate with an API key', () => fetch(`${url}/v1/scopes`, { headers: { authorization: `Bearer ${keyValue}` } }));
    }
    const fmt = (n: number) => n.toFixed(2).padStart(7);
    process.stdout.write(`\nkeyform reference server latency (ms), one request at a time over keep-alive, ${new Date().toISOString()}\n\n`);
    process.stdout.write('| operation | keys in store | n | p50 | p95 | p99 | max |\n|---|---:|---:|---:|---:|---:|---:|\n');
    for (const r of rows) {
      const s = [...r.values].sort((a, b) => a - b);
      process.stdout.write(`| ${r.op} | ${r.size} | ${r.n} | ${fmt(pct(s, 50))} | ${fmt(pct(s, 95))} | ${fmt(pct(s, 99))} | ${fmt(s[s.length - 1])} |\n`);
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
