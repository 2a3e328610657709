/** The `keyform` command line: registers every command (serve, review, rotation-report, provider, demo, adopt, hygiene, openapi) and runs the one the user named. */
import { Command } from 'commander';
import { buildOpenApi } from '../model';
import { VERSION } from '../version';
import { register as registerReview } from './review';
import { register as registerRotationReport } from './rotation-report';
import { register as registerServe } from './serve';
import { register as registerProvider } from './provider';
import { register as registerDemo } from './demo';
import { register as registerAdopt } from './adopt';
import { register as registerHygiene } from './hygiene';

const program = new Command();
program.name('keyform').description('Credentials as code: API keys, OAuth authorizations and grants, applied by Terraform.').version(VERSION);

program
  .command('openapi')
  .description('print the OpenAPI 3.1 document of the Key Management API')
  .action(() => {
    process.stdout.write(`${JSON.stringify(buildOpenApi(VERSION), null, 2)}\n`);
  });

registerServe(program);
registerReview(program);
registerRotationReport(program);
registerProvider(program);
registerDemo(program);
registerAdopt(program);
registerHygiene(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`keyform: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
