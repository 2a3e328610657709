/**
 * Entry of the bundled Terraform plugin (dist/terraform-provider-keyform.js): serves keyform's provider
 * definition over tfplugin6. Only light modules load at start; the API client loads on configure.
 */
import { serveProvider } from './plugin';
import { keyformProvider } from './keyform';

serveProvider(keyformProvider).catch((err: unknown) => {
  process.stderr.write(`terraform-provider-keyform: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
