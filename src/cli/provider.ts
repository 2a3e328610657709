/** `keyform provider install`: puts the bundled Terraform provider where Terraform finds it. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { defaultInstallDir, installProvider } from '../provider/install';
import { VERSION } from '../version';

function defaultBundle(): string {
  // dist/cli.js sits next to the bundle; from sources (tsx) the bundle is in dist/.
  const candidates = [join(__dirname, 'provider', 'keyform-plugin.js'), join(__dirname, '..', '..', 'dist', 'provider', 'keyform-plugin.js')];
  return candidates.find((c) => existsSync(c)) ?? candidates[0];
}

/** Registers `keyform provider install`. */
export function register(program: Command): void {
  const provider = program.command('provider').description("manage keyform's Terraform provider");
  provider
    .command('install')
    .description('install the provider into a local filesystem mirror and write a Terraform CLI config for it')
    .option('--dir <path>', 'install root', defaultInstallDir())
    .option('--dev', 'write dev_overrides instead of a filesystem mirror (no terraform init needed)', false)
    .option('--bundle <file>', 'the bundled provider to install (default: the one shipped with this CLI)')
    .action((opts: { dir: string; dev: boolean; bundle?: string }) => {
      const result = installProvider({ dir: opts.dir, dev: opts.dev, bundle: opts.bundle ?? defaultBundle(), version: VERSION });
      const exportLine = result.lines[result.lines.length - 1];
      // Notes go to stderr so `eval "$(keyform provider install)"` works.
      for (const line of result.lines.slice(0, -1)) process.stderr.write(`${line}\n`);
      process.stdout.write(`${exportLine}\n`);
    });
}
