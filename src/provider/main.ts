/**
 * Entry of the bundled Terraform plugin (dist/provider/keyform-plugin.js): serves keyform's provider
 * definition over tfplugin6. The handshake is printed first; the definition loads while Terraform
 * connects, and the API client only on configure.
 */
import { KEYFORM_SERVE_OPTIONS } from './keyform/serve-options';
import { serveProvider } from './plugin';

serveProvider(() => import('./keyform').then((m) => m.keyformProvider), KEYFORM_SERVE_OPTIONS).catch((err: unknown) => {
  process.stderr.write(`terraform-provider-keyform: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
