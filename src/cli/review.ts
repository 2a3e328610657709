/** `keyform review <plan...>`: the plain-language review of saved plans' credential changes, one report over all stacks. */
import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { CHANGE_CLASSES } from '../review/change-class';
import { EXIT_FAIL_ON } from '../review/messages';
import { runReview } from '../review/run-review';
import { reportUserErrors } from './user-errors';

/** Registers the `review` command. */
export function register(program: Command): void {
  program
    .command('review')
    .argument(
      '<plan...>',
      'saved plans: `terraform plan -out` files, their `terraform show -json` output, stack directories holding one (tfplan or plan.json), directories of such stacks, or - for JSON on stdin',
    )
    .description('classify the keyform credential changes of saved Terraform plans, one report over all stacks, highest risk first (never prints secrets)')
    .option('-f, --format <format>', 'markdown (PR comment), text, json or sarif (code scanning)', 'markdown')
    .option('--fail-on <classes>', `exit ${EXIT_FAIL_ON} when any change of these classes is present (comma list of: ${CHANGE_CLASSES.join(', ')})`)
    .option('-o, --output <file>', 'also write the report to this file')
    .option('--terraform <path>', 'Terraform executable used to read a binary plan', 'terraform')
    .option('--source-root <dir>', 'sarif: file locations are relative to this directory (the repository root; default: the working directory)')
    .addHelpText(
      'after',
      `\nExit codes: 0 reviewed; ${EXIT_FAIL_ON} a --fail-on class is present; 1 bad input (the message says how to fix it).`,
    )
    .action(
      reportUserErrors('review', async (plans: string[], opts: { format: string; failOn?: string; output?: string; terraform: string; sourceRoot?: string }) => {
        const out = await runReview(plans, { format: opts.format, failOn: opts.failOn, terraform: opts.terraform, sourceRoot: opts.sourceRoot });
        process.stdout.write(out.report);
        if (opts.output) await writeFile(opts.output, out.report);
        if (out.notice) process.stderr.write(`${out.notice}\n`);
        process.exitCode = out.exitCode;
      }),
    );
}
