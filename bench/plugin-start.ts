/**
 * Benchmark (not a test): the plugin's start time (spawn to handshake line) against bare Node's,
 * alternating, so machine load shows in both.
 *
 *   npm run build && npx tsx bench/plugin-start.ts [--samples 21]
 */
import { pluginBundle } from './lib/paths';
import { pluginStartMs } from './lib/plugin-start';

async function main(): Promise<void> {
  const i = process.argv.indexOf('--samples');
  const samples = i >= 0 ? Number(process.argv[i + 1]) : 21;
  const r = await pluginStartMs(pluginBundle(), samples);
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' ');
  process.stdout.write(
    `plugin start (spawn to handshake line), median of ${samples}: ${r.medianMs.toFixed(1)} ms; bare Node printing the same line: ${r.nodeMedianMs.toFixed(1)} ms; the plugin's own share: ${(r.medianMs - r.nodeMedianMs).toFixed(1)} ms\n` +
      `plugin samples: ${fmt(r.samplesMs)}\nnode samples:   ${fmt(r.nodeSamplesMs)}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
