/**
 * The two CDK lines keyform's constructs are built for, from one source (src/constructs):
 *   - cdktf 0.21 (the archived original): the package's main entry, `keyform`;
 *   - cdktn 0.24 (CDK Terrain, its maintained successor): `keyform/cdktn`.
 * cdktn is cdktf renamed, so the second line is the same source with the framework's module
 * specifier rewritten; both builds type-check against their own framework's declarations.
 * Used by scripts/build-cdktn.mjs (the JavaScript build) and scripts/jsii-build.mjs (the assemblies).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Per line: the framework package, where `npm run build` writes the JavaScript, and the jsii names
 * of its assembly. The cdktn assembly is a package of its own (a jsii assembly depends on exactly
 * one framework), named after the line like cdktn's own packages.
 */
export const LINES = {
  cdktf: {
    framework: 'cdktf',
    outDir: 'dist/lib',
    // Sources of this line only (beside the shared src/constructs).
    ownSources: [],
    jsii: {
      name: 'keyform',
      targets: {
        python: { distName: 'keyform', module: 'keyform' },
        java: { package: 'io.keyform', maven: { groupId: 'io.keyform', artifactId: 'keyform' } },
        dotnet: { namespace: 'Keyform', packageId: 'Keyform' },
        go: { moduleName: 'github.com/keyform/keyform-go', packageName: 'keyform' },
      },
    },
  },
  cdktn: {
    framework: 'cdktn',
    outDir: 'dist/cdktn',
    // What only CDK Terrain can express (TerraformEphemeralResource): src/cdktn, exported from its index.
    ownSources: ['src/cdktn'],
    jsii: {
      name: 'keyform-cdktn',
      targets: {
        python: { distName: 'keyform-cdktn', module: 'keyform_cdktn' },
        java: { package: 'io.keyform.cdktn', maven: { groupId: 'io.keyform', artifactId: 'keyform-cdktn' } },
        dotnet: { namespace: 'Keyform.Cdktn', packageId: 'Keyform.Cdktn' },
        go: { moduleName: 'github.com/keyform/keyform-go', packageName: 'keyformcdktn' },
      },
    },
  },
};

/** The construct library's files of a line, relative to the repository root (sorted). */
export function constructSources(root, line = 'cdktf') {
  const files = ['src/index.ts', 'src/model/catalog.ts', 'src/model/redaction.ts', 'src/version.ts'];
  const walk = (dir) => {
    for (const entry of readdirSync(join(root, dir))) {
      const rel = `${dir}/${entry}`;
      if (statSync(join(root, rel)).isDirectory()) walk(rel);
      else if (rel.endsWith('.ts') && !rel.endsWith('.d.ts')) files.push(rel);
    }
  };
  // The rulebook (src/model/rules) is plain TypeScript without zod: the constructs ask it at synth.
  for (const dir of ['src/constructs', 'src/model/rules', ...LINES[line].ownSources]) walk(dir);
  return files.sort();
}

/** The line's own modules as its index exports them (`./cdktn/<file>`). */
function ownExports(root, line) {
  return constructSources(root, line)
    .filter((f) => LINES[line].ownSources.some((dir) => f.startsWith(`${dir}/`)))
    .map((f) => `export * from './${f.slice('src/'.length, -'.ts'.length)}';\n`)
    .join('');
}

/** A construct source file (path relative to the root) as the given line compiles it. */
export function sourceForLine(root, file, text, line) {
  const rewritten = forLine(text, line);
  return file === 'src/index.ts' ? rewritten + ownExports(root, line) : rewritten;
}

// Module specifiers only (import/export ... from, import(), require()), never prose.
const FRAMEWORK_SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)(['"])cdktf\2/g;

/** A construct source file as the given line compiles it. */
export function forLine(text, line) {
  const framework = LINES[line].framework;
  if (framework === 'cdktf') return text;
  return text.replace(FRAMEWORK_SPECIFIER, (_m, lead, quote) => `${lead}${quote}${framework}${quote}`);
}

/** Whether a file still refers to the cdktf module (a rewrite that missed a form of import). */
export function refersToCdktf(text) {
  return /(\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)(['"])cdktf\2/.test(text) || /(['"])cdktf\/[^'"]*\1/.test(text.replace(/Symbol\.for\((['"])cdktf\/[^'"]*\1\)/g, ''));
}
