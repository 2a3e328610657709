/**
 * Where the benchmarks find the built artefacts: the CLI entry (`bin/keyform`) and the bundled
 * Terraform plugin the build produced. Resolved at run time so a change of the bundle layout does
 * not silently benchmark a stale file.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root. */
export const ROOT = resolve(__dirname, '..', '..');

/** The `keyform` executable script. */
export const KEYFORM_BIN = join(ROOT, 'bin', 'keyform');

/** Bundle entry points the build has produced over time, newest layout first. */
const BUNDLE_CANDIDATES = [
  join('dist', 'provider', 'keyform-plugin.js'),
  join('dist', 'provider', 'terraform-provider-keyform.js'),
  join('dist', 'provider', 'main.js'),
  join('dist', 'provider', 'index.js'),
  join('dist', 'terraform-provider-keyform.js'),
];

/** The bundled plugin entry; throws with the fix when nothing is built. */
export function pluginBundle(): string {
  const found = BUNDLE_CANDIDATES.map((c) => join(ROOT, c)).find((p) => existsSync(p));
  if (!found) throw new Error(`No bundled Terraform plugin under ${join(ROOT, 'dist')}: run \`npm run build\` first.`);
  return found;
}

/** Throws with the fix when the CLI bundle is missing. */
export function requireBuiltCli(): void {
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first.');
}
