/** `keyform rotation-report`: keys due, overdue or healthy for rotation. */
import type { Command } from 'commander';
import { credentialsWithEnv } from '../client/api-source';
import { EXIT_ROTATION_DUE } from '../rotation/messages';
import { runRotationReport } from '../rotation/run-report';
import { reportUserErrors } from './user-errors';

/** Keys listed between two progress updates; smaller accounts finish before anything is shown. */
const PROGRESS_EVERY = 500;

/** Registers the `rotation-report` command. */
export function register(program: Command): void {
  program
    .command('rotation-report')
    .description('list keyform API keys with their rotation status: overdue, due, healthy, or without rotation (the rotation part of `keyform hygiene`, kept as its own command with its own exit codes)')
    .argument('[stacks...]', 'stacks to report on together: state files, Terraform working directories, or directories of stacks (one section per stack, exit code over all)')
    .option('--state <file>', 'Terraform state: terraform.tfstate or `terraform show -json` output (- for stdin)')
    .option('--dir <dir>', 'a Terraform working directory whose state is read (default: the working directory when no stack, state or endpoint is given)')
    .option('--terraform <path>', 'Terraform executable used with --dir', 'terraform')
    .option('--endpoint <url>', 'list keys from the Key Management API instead; with --state, rotation policies come from the state')
    .option('--token <token>', 'bearer token or API key for --endpoint (env KEYFORM_TOKEN)')
    .option('--client-id <id>', 'OAuth client id for --endpoint (env KEYFORM_CLIENT_ID)')
    .option('--client-secret <secret>', 'OAuth client secret for --endpoint (env KEYFORM_CLIENT_SECRET)')
    .option('--mid <mid>', 'only keys of this merchant')
    .option('--every <duration>', 'rotation period for keys without a declared rotation, e.g. 90d')
    .option('--grace-period <duration>', 'grace period with --every (default 24h)')
    .option('--now <time>', 'assess at this RFC 3339 time instead of now')
    .option('-f, --format <format>', 'text, markdown or json', 'text')
    .addHelpText(
      'after',
      `\nSeveral stacks (\`keyform rotation-report stacks/payments stacks/support\`, or a directory of stacks) give one report: a summary over all stacks, then a section per stack, most urgent first; with --endpoint, keys no stack declares get their own section.\nA key is due once \`every\` has passed since its last rotation (or creation): the next plan rotates it.\nIt is overdue once its grace period has passed on top of that.\nExit codes: 0 nothing due; ${EXIT_ROTATION_DUE} a key is due or overdue; 1 bad input (the message says how to fix it).`,
    )
    .action((stacks: string[], opts: Record<string, string | undefined>) => {
      const tty = process.stderr.isTTY === true;
      let shown = false;
      const clearProgress = () => {
        if (shown) process.stderr.write('\r\x1b[K');
        shown = false;
      };
      return reportUserErrors(
        'rotation-report',
        async () => {
          const out = await runRotationReport({
            stacks,
            state: opts.state,
            dir: opts.dir,
            terraform: opts.terraform,
            endpoint: opts.endpoint,
            ...credentialsWithEnv(opts),
            mid: opts.mid,
            every: opts.every,
            gracePeriod: opts.gracePeriod,
            now: opts.now,
            format: opts.format,
            onProgress: tty
              ? (n) => {
                  if (n % PROGRESS_EVERY === 0) {
                    process.stderr.write(`\rkeyform rotation-report: listed ${n} keys…`);
                    shown = true;
                  }
                }
              : undefined,
          });
          clearProgress();
          process.stdout.write(out.report);
          if (out.notice) process.stderr.write(`${out.notice}\n`);
          process.exitCode = out.exitCode;
        },
        clearProgress,
      )();
    });
}
