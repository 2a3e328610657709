// Bundles the CLI (and, once it exists, the Terraform plugin) into single files: the plugin is
// started once per Terraform phase, so start-up time matters more than bundle size.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
  // Native and optional modules stay outside the bundle.
  external: ['better-sqlite3'],
};

const entries = [
  { in: 'src/cli/main.ts', out: 'dist/cli.js' },
  { in: 'src/provider/main.ts', out: 'dist/terraform-provider-keyform.js' },
];
await Promise.all(
  entries.filter((e) => existsSync(e.in)).map((e) => build({ ...common, entryPoints: [e.in], outfile: e.out })),
);
