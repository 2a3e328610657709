/**
 * `keyform adopt` at scale: N keys (default 10,000) are created on a reference server in its own
 * process, then the real CLI (`node bin/keyform adopt`) lists and writes the whole account, in each
 * format, `--runs` times. Reports the end-to-end wall time (process start, token, pagination, files),
 * the requests it made and the size of what it wrote. Not a test: no assertion on time.
 *
 *   npm run build && npx tsx bench/adopt.ts [--n 10000] [--runs 3]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBenchKeys } from './lib/bulk-keys';
import { KEYFORM_BIN } from './lib/paths';
import { BENCH_ADMIN, startServerProcess } from './lib/server-process';
import { median } from './lib/stats';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const n = Number(arg('n', '10000'));
const runs = Number(arg('runs', '3'));

function adopt(endpoint: string, out: string, format: string): Promise<{ seconds: number; stderr: string }> {
  const t0 = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [KEYFORM_BIN, 'adopt', '--out', out, '--format', format], {
      env: { ...process.env, KEYFORM_ENDPOINT: endpoint, KEYFORM_CLIENT_ID: BENCH_ADMIN.clientId, KEYFORM_CLIENT_SECRET: BENCH_ADMIN.clientSecret, KEYFORM_TOKEN: '', KEYFORM_MID: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done({ seconds: (performance.now() - t0) / 1000, stderr }) : fail(new Error(`adopt exited ${code}: ${stderr}`))));
  });
}

function bytes(dir: string): number {
  return readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

async function main(): Promise<void> {
  const server = await startServerProcess();
  try {
    const created = await createBenchKeys(server.url, n);
    process.stderr.write(`created ${n} keys in ${created.seconds.toFixed(1)} s\n`);
    console.log(`keyform adopt, ${n} keys (+ the default seed's catalogs), ${runs} run(s) per format, median wall time of the CLI process`);
    console.log('| format | median s | min s | max s | requests per run | bytes written |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (const format of ['hcl', 'ts']) {
      const times: number[] = [];
      let size = 0;
      let requests = 0;
      for (let r = 0; r < runs; r++) {
        const out = mkdtempSync(join(tmpdir(), `keyform-bench-adopt-${format}-`));
        try {
          await server.settle();
          const before = server.requests();
          const { seconds, stderr } = await adopt(server.url, out, format);
          if (!stderr.includes(`${n} API key(s)`)) throw new Error(`adopt did not adopt ${n} keys: ${stderr}`);
          await server.settle();
          requests = server.requests() - before;
          times.push(seconds);
          size = bytes(out);
        } finally {
          rmSync(out, { recursive: true, force: true });
        }
      }
      console.log(`| ${format} | ${median(times).toFixed(2)} | ${Math.min(...times).toFixed(2)} | ${Math.max(...times).toFixed(2)} | ${requests} | ${size} |`);
    }
  } finally {
    await server.stop();
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
