// Bundles the CLI into one file and the Terraform plugin into dist/provider/. The plugin is started
// several times per Terraform command, so it is split into ES module chunks: the entry (handshake,
// gRPC server, schemas) stays small, and the API client with its dependencies loads only on configure.
import { build } from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  // Native modules stay outside the bundle.
  external: ['better-sqlite3'],
};

rmSync('dist/provider', { recursive: true, force: true });
mkdirSync('dist/provider', { recursive: true });
// Node reads the chunks as ES modules because of this marker.
writeFileSync('dist/provider/package.json', `${JSON.stringify({ type: 'module' })}\n`);

await Promise.all([
  build({ ...common, format: 'cjs', entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' }),
  build({
    ...common,
    format: 'esm',
    splitting: true,
    entryPoints: { 'keyform-plugin': 'src/provider/main.ts' },
    outdir: 'dist/provider',
    // Bundled CommonJS dependencies call require() for Node's built-in modules.
    banner: { js: "import { createRequire as __keyformCreateRequire } from 'node:module'; const require = __keyformCreateRequire(import.meta.url);" },
  }),
]);
rmSync('dist/terraform-provider-keyform.js', { force: true });
rmSync('dist/terraform-provider-keyform.js.map', { force: true });
