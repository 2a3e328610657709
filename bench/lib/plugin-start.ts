/**
 * Start time of the bundled plugin: spawn to the handshake line on stdout, as Terraform waits for it,
 * measured alternately with a bare Node process that prints the same line (Node's own start on this
 * machine, at this moment), so the plugin's share is read off the difference, not guessed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCertificate } from '../../src/provider/plugin/certificate';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../../src/provider/plugin/handshake';
import { median } from './stats';

/** Start times of the plugin and of bare Node, milliseconds. */
export interface PluginStart {
  /** Median spawn-to-handshake time of the plugin. */
  readonly medianMs: number;
  readonly samplesMs: number[];
  /** Median spawn-to-first-line time of a Node process that only prints a handshake line. */
  readonly nodeMedianMs: number;
  readonly nodeSamplesMs: number[];
}

function timeToFirstLine(script: string, env: NodeJS.ProcessEnv, checkHandshake: boolean): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let line = '';
    child.stdout!.on('data', (b: Buffer) => {
      line += b.toString();
      if (!line.includes('\n')) return;
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      child.kill('SIGKILL');
      if (checkHandshake && !/^1\|6\|(tcp|unix)\|\S+\|grpc\|/.test(line)) reject(new Error(`unexpected handshake line: ${line.slice(0, 80)}`));
      else resolve(ms);
    });
    child.on('exit', (code) => {
      if (!line.includes('\n')) reject(new Error(`${script} exited ${code} before its first line`));
    });
    child.on('error', reject);
  });
}

/** Starts the plugin and bare Node `samples` times each, alternately. */
export async function pluginStartMs(bundle: string, samples = 5): Promise<PluginStart> {
  const cert = makeCertificate();
  const env = { ...process.env, [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '6', PLUGIN_CLIENT_CERT: cert.certPem };
  const dir = mkdtempSync(join(tmpdir(), 'keyform-start-'));
  const bare = join(dir, 'bare.js');
  writeFileSync(bare, "process.stdout.write('1|6|tcp|127.0.0.1:1|grpc|\\n');\n");
  const plugin: number[] = [];
  const node: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      plugin.push(await timeToFirstLine(bundle, env, true));
      node.push(await timeToFirstLine(bare, env, false));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { medianMs: median(plugin), samplesMs: plugin, nodeMedianMs: median(node), nodeSamplesMs: node };
}
