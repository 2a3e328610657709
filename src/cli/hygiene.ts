/** `keyform hygiene`: what to revoke, narrow, replace or rotate, from real usage; exit 2 when something is found. */
import type { Command } from 'commander';
import { credentialsWithEnv } from '../client/api-source';
import { EXIT_FINDINGS, hygieneReportJsonSchema, runHygiene } from '../hygiene';
import { reportUserErrors } from './user-errors';

/** Registers the `hygiene` command. */
export function register(program: Command): void {
  program
    .command('hygiene')
    .description('find unused keys and scopes (from real usage), expired or expiring keys, live keys without expiry or rotation, due rotations, and authorizations their owner can no longer back')
    .argument('[stacks...]', 'stacks to inspect together: state files, Terraform working directories (or cdktf projects), or directories of stacks (one section per stack, exit code over all)')
    .option('--state <file>', 'Terraform state (terraform.tfstate or `terraform show -json` output): addresses, rotation policies, declared grants')
    .option('--dir <dir>', 'a Terraform directory (or cdktf project with main.ts): its state, and suggested changes as a diff of its configuration')
    .option('--terraform <path>', 'Terraform executable used with --dir', 'terraform')
    .option('--endpoint <url>', 'the Key Management API (env KEYFORM_ENDPOINT): last use, usage by scope, owners')
    .option('--token <token>', 'bearer token or API key (env KEYFORM_TOKEN)')
    .option('--client-id <id>', 'OAuth client id (env KEYFORM_CLIENT_ID)')
    .option('--client-secret <secret>', 'OAuth client secret (env KEYFORM_CLIENT_SECRET)')
    .option('--mid <mid>', 'only keys and authorizations of this merchant (env KEYFORM_MID)')
    .option('--unused-after <duration>', 'report keys unused for longer than this, and scopes unused within it', '30d')
    .option('--expiring-within <duration>', 'report keys expiring within this', '14d')
    .option('--owner <user_id>', 'list every authorization this user owns (offboarding), with owner checks')
    .option('--now <time>', 'assess at this RFC 3339 time instead of now')
    .option('-f, --format <format>', 'text, markdown or json', 'text')
    .option('--json-schema', 'print the JSON schema of the json report and exit (docs/hygiene-report.schema.json)')
    .addHelpText(
      'after',
      `\nSeveral stacks (\`keyform hygiene stacks/payments stacks/support\`, or a directory of stacks) give one report: a summary over all stacks, then a section per stack, highest risk first; every finding names its stack, and objects the API has but no stack declares get their own section.\nThe JSON report follows docs/hygiene-report.schema.json. \`keyform rotation-report\` is the rotation part of this report, kept with its own output and exit codes.\nExit codes: 0 nothing found; ${EXIT_FINDINGS} findings (or, with --owner, the user owns something); 1 bad input (the message says how to fix it).`,
    )
    .action(
      reportUserErrors('hygiene', async (stacks: string[], opts: Record<string, string | undefined>) => {
        if (opts.jsonSchema) {
          process.stdout.write(`${JSON.stringify(hygieneReportJsonSchema(), null, 2)}\n`);
          return;
        }
        const env = process.env;
        const out = await runHygiene({
          stacks,
          state: opts.state,
          dir: opts.dir,
          terraform: opts.terraform,
          endpoint: opts.endpoint ?? (env.KEYFORM_ENDPOINT || undefined),
          ...credentialsWithEnv(opts, env),
          mid: opts.mid ?? (env.KEYFORM_MID || undefined),
          unusedAfter: opts.unusedAfter,
          expiringWithin: opts.expiringWithin,
          owner: opts.owner,
          now: opts.now,
          format: opts.format,
          onProgress: (what, n) => {
            if (n % 1000 === 0) process.stderr.write(`keyform hygiene: ${what} ${n}…\n`);
          },
        });
        process.stdout.write(out.report);
        process.exitCode = out.exitCode;
      }),
    );
}
