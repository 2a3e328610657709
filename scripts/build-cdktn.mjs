#!/usr/bin/env node
/**
 * Builds the cdktn line of the construct library into dist/cdktn (`keyform/cdktn`): the construct
 * sources with the framework import rewritten to `cdktn` (scripts/cdk-lines.mjs), compiled by tsc
 * against cdktn's own declarations, so a signature cdktn changed fails this build instead of an app.
 * Run by `npm run build` after the cdktf line (dist/lib).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constructSources, LINES, refersToCdktf, sourceForLine } from './cdk-lines.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const line = LINES.cdktn;
const stage = join(root, 'build', 'cdktn-src');
const outDir = join(root, line.outDir);

rmSync(stage, { recursive: true, force: true });
rmSync(outDir, { recursive: true, force: true });
for (const file of constructSources(root, 'cdktn')) {
  mkdirSync(dirname(join(stage, file)), { recursive: true });
  writeFileSync(join(stage, file), sourceForLine(root, file, readFileSync(join(root, file), 'utf8'), 'cdktn'));
}
// The compiler options of the cdktf line (tsconfig.lib.json), with this line's input and output.
writeFileSync(
  join(stage, 'tsconfig.json'),
  JSON.stringify(
    {
      extends: join(root, 'tsconfig.lib.json'),
      compilerOptions: { rootDir: 'src', outDir, typeRoots: [join(root, 'node_modules', '@types')], types: ['node'] },
      include: [],
      files: ['src/index.ts'],
    },
    null,
    2,
  ),
);
try {
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(stage, 'tsconfig.json')], { stdio: ['ignore', 'pipe', 'pipe'] });
} catch (err) {
  process.stderr.write(`build-cdktn: tsc failed for the cdktn line:\n${err.stdout ?? ''}${err.stderr ?? ''}\n`);
  process.exit(1);
}

// Every emitted file must load cdktn, never cdktf: two frameworks in one app is the crash this line exists to avoid.
const emitted = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.js') || p.endsWith('.d.ts')) emitted.push(p);
  }
};
walk(outDir);
const leaks = emitted.filter((p) => refersToCdktf(readFileSync(p, 'utf8')));
if (emitted.length === 0 || leaks.length > 0) {
  process.stderr.write(`build-cdktn: ${emitted.length === 0 ? 'nothing was emitted' : `still refers to cdktf: ${leaks.join(', ')}`}\n`);
  process.exit(1);
}
rmSync(stage, { recursive: true, force: true });
