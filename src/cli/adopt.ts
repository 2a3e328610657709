/** `keyform adopt`: write a configuration that imports every existing key and authorization. */
import type { Command } from 'commander';
import { runAdopt } from '../adopt';
import { reportUserErrors } from './user-errors';

/** Objects listed between two progress lines. */
const PROGRESS_EVERY = 1000;

/** Registers the `adopt` command. */
export function register(program: Command): void {
  program
    .command('adopt')
    .description('write a Terraform configuration (or CDKTF app) that adopts every existing API key and authorization with import blocks')
    .requiredOption('--out <dir>', 'directory to write the configuration into')
    .option('--mid <mid>', 'only objects of this merchant (default KEYFORM_MID, else every merchant the credentials see)')
    .option('-f, --format <format>', 'hcl (a Terraform configuration) or ts (a CDKTF app, main.ts)', 'hcl')
    .option('--name-prefix <prefix>', 'only objects whose name starts with this')
    .option('--exclude <pattern...>', 'leave out objects by id or by name pattern (* matches anything); repeatable')
    .option('--force', 'overwrite existing configuration files in --out')
    .addHelpText(
      'after',
      '\nCredentials come from the provider\'s variables: KEYFORM_ENDPOINT, KEYFORM_CLIENT_ID and KEYFORM_CLIENT_SECRET (or KEYFORM_TOKEN),\nKEYFORM_MID. They need api_keys:read and authorizations:read; adopt only reads.\nSecrets cannot be recovered: the configuration says so per key and offers (commented out) a rotation with secret_delivery.\nExit codes: 0 written; 1 bad input or a failed listing (the message says how to fix it).',
    )
    .action(
      reportUserErrors('adopt', async (opts: { out: string; mid?: string; format: string; namePrefix?: string; exclude?: string[]; force?: boolean }) => {
        const result = await runAdopt({
          out: opts.out,
          mid: opts.mid,
          format: opts.format,
          namePrefix: opts.namePrefix,
          exclude: opts.exclude,
          force: opts.force,
          onProgress: (what, n) => {
            if (n % PROGRESS_EVERY === 0) process.stderr.write(`keyform adopt: listed ${n} ${what}…\n`);
          },
        });
        const a = result.adoption;
        process.stderr.write(
          `keyform adopt: wrote ${result.files.join(', ')} to ${opts.out}: ${a.keys.length} API key(s), ${a.authorizations.length} authorization(s), ${result.imports} import(s)${a.liveKeys ? `, ${a.liveKeys} live (allow_live set)` : ''}.\n` +
            (opts.format === 'ts' ? 'Next: npx tsx main.ts, then terraform init && terraform plan in cdktf.out/stacks/adopted.\n' : 'Next: terraform init && terraform plan (imports only).\n'),
        );
      }),
    );
}
