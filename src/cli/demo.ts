/** `keyform demo`: keyform's main job on the embedded reference server, narrated. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';

/** Registers `keyform demo`. */
export function register(program: Command): void {
  program
    .command('demo')
    .description('run the quickstart end to end against the embedded reference server: apply, review, drift, rotation, destroy')
    .option('--keep', 'keep the temporary working directory', false)
    .action(async (opts: { keep: boolean }) => {
      const bundle = join(__dirname, 'provider', 'keyform-plugin.js');
      if (!existsSync(bundle)) throw new Error(`the provider bundle ${bundle} is missing: run \`npm run build\` first`);
      const { runDemo } = await import('../demo/run-demo');
      await runDemo({ bundle, keep: opts.keep });
    });
}
