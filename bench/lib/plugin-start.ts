/** Start time of the bundled plugin: spawn to the handshake line on stdout, as Terraform waits for it. */
import { spawn } from 'node:child_process';
import { makeCertificate } from '../../src/provider/plugin/certificate';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../../src/provider/plugin/handshake';
import { median } from './stats';

/** Median spawn-to-handshake time of `samples` starts of `bundle`, milliseconds, and the handshake line's shape check. */
export async function pluginStartMs(bundle: string, samples = 5): Promise<{ medianMs: number; samplesMs: number[] }> {
  const cert = makeCertificate();
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    out.push(
      await new Promise<number>((resolve, reject) => {
        const t0 = process.hrtime.bigint();
        const child = spawn(process.execPath, [bundle], {
          env: { ...process.env, [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '6', PLUGIN_CLIENT_CERT: cert.certPem },
          stdio: ['ignore', 'pipe', 'ignore'],
        });
        let line = '';
        child.stdout!.on('data', (b: Buffer) => {
          line += b.toString();
          if (!line.includes('\n')) return;
          const ms = Number(process.hrtime.bigint() - t0) / 1e6;
          child.kill('SIGKILL');
          if (!/^1\|6\|(tcp|unix)\|\S+\|grpc\|/.test(line)) reject(new Error(`unexpected handshake line: ${line.slice(0, 80)}`));
          else resolve(ms);
        });
        child.on('exit', (code) => {
          if (!line.includes('\n')) reject(new Error(`plugin exited ${code} before its handshake line`));
        });
        child.on('error', reject);
      }),
    );
  }
  return { medianMs: median(out), samplesMs: out };
}
