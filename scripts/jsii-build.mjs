#!/usr/bin/env node
/**
 * Builds keyform's jsii assembly and language bindings in a staging package.
 *
 * The root package also holds code jsii cannot compile (server, provider, CLI; zod), so this script
 * copies the construct library (src/index.ts, src/constructs/**, src/model/catalog.ts,
 * src/version.ts) into a staging directory with its own package.json, links the root node_modules,
 * and runs there:
 *   1. jsii                                   -> <out>/.jsii
 *   2. jsii-pacmak --targets js               -> <out>/dist/js/keyform@<version>.jsii.tgz
 *   3. jsii-pacmak --code-only (python, java, go, dotnet sources; full builds need remote registries)
 *   4. python3 -m py_compile over the generated Python
 *
 * Usage: node scripts/jsii-build.mjs [--out <dir>] [--force] [--skip-bindings]
 * Default out: build/jsii. A build whose inputs (sources, this script, tool versions) are unchanged
 * is reused unless --force is given; <out>/build-info.json records the input hash and timings.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? resolve(args[i + 1]) : fallback;
};
const out = option('--out', join(root, 'build', 'jsii'));
const withBindings = !flag('--skip-bindings');

/** The files of the construct library, relative to the repository root. */
function sources() {
  const files = ['src/index.ts', 'src/model/catalog.ts', 'src/version.ts'];
  const walk = (dir) => {
    for (const entry of readdirSync(join(root, dir))) {
      const rel = `${dir}/${entry}`;
      if (statSync(join(root, rel)).isDirectory()) walk(rel);
      else if (rel.endsWith('.ts') && !rel.endsWith('.d.ts')) files.push(rel);
    }
  };
  walk('src/constructs');
  return files.sort();
}

const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const toolVersion = (name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;

/** The staging package's manifest: jsii targets and the peer dependencies of a construct library. */
const manifest = {
  name: 'keyform',
  version: rootPkg.version,
  description: rootPkg.description,
  license: rootPkg.license,
  author: rootPkg.author,
  repository: rootPkg.repository,
  main: 'src/index.js',
  types: 'src/index.d.ts',
  // Without `files`, npm pack (used by jsii-pacmak's js target) would include the sources and links.
  files: ['src/**/*.js', 'src/**/*.d.ts', '.jsii', 'README.md'],
  peerDependencies: { cdktf: rootPkg.peerDependencies.cdktf, constructs: rootPkg.peerDependencies.constructs },
  devDependencies: { cdktf: toolVersion('cdktf'), constructs: toolVersion('constructs') },
  keywords: ['cdktf', 'terraform', 'api-keys', 'oauth', 'mcp', 'credentials'],
  stability: 'experimental',
  jsii: {
    outdir: 'dist',
    versionFormat: 'short',
    excludeTypescript: ['dist/**'],
    targets: {
      python: { distName: 'keyform', module: 'keyform' },
      java: { package: 'io.keyform', maven: { groupId: 'io.keyform', artifactId: 'keyform' } },
      dotnet: { namespace: 'Keyform', packageId: 'Keyform' },
      go: { moduleName: 'github.com/keyform/keyform-go', packageName: 'keyform' },
    },
    tsc: { rootDir: 'src', outDir: 'src' },
  },
};

const files = sources();
const hash = createHash('sha256');
hash.update(JSON.stringify({ manifest, tools: ['jsii', 'jsii-pacmak', 'cdktf', 'constructs'].map(toolVersion), withBindings }));
hash.update(readFileSync(fileURLToPath(import.meta.url)));
for (const f of files) hash.update(f).update(readFileSync(join(root, f)));
const inputHash = hash.digest('hex');

const infoFile = join(out, 'build-info.json');
if (!flag('--force') && existsSync(infoFile)) {
  const info = JSON.parse(readFileSync(infoFile, 'utf8'));
  if (info.inputHash === inputHash) {
    process.stdout.write(`jsii build up to date in ${relative(process.cwd(), out) || '.'} (${inputHash.slice(0, 12)})\n`);
    process.exit(0);
  }
}

const started = Date.now();
const timings = {};
const env = { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20', JSII_SUPPRESS_UPGRADE_PROMPT: '1' };
const bin = (pkg, file) => join(root, 'node_modules', pkg, 'bin', file);
function step(name, cmd, cmdArgs) {
  const t = Date.now();
  try {
    execFileSync(cmd, cmdArgs, { cwd: out, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    process.stderr.write(`jsii build: step "${name}" failed:\n${err.stdout ?? ''}${err.stderr ?? ''}\n`);
    process.exit(1);
  }
  timings[name] = Date.now() - t;
  process.stdout.write(`jsii build: ${name} ${timings[name]} ms\n`);
}

// jsii never cleans its output folder: start from an empty staging directory.
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const f of files) {
  mkdirSync(dirname(join(out, f)), { recursive: true });
  cpSync(join(root, f), join(out, f));
}
writeFileSync(join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
writeFileSync(join(out, 'README.md'), readme());
symlinkSync(join(root, 'node_modules'), join(out, 'node_modules'), 'dir');

step('jsii', process.execPath, [bin('jsii', 'jsii'), '--silence-warnings', 'reserved-word']);
step('pacmak-js', process.execPath, [bin('jsii-pacmak', 'jsii-pacmak'), '--targets', 'js', '--outdir', 'dist']);
if (withBindings) {
  step('pacmak-code-only', process.execPath, [bin('jsii-pacmak', 'jsii-pacmak'), '--code-only', '--targets', 'python', 'java', 'go', 'dotnet', '--outdir', 'dist']);
  const pyFiles = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir)) {
      const p = join(dir, entry);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.py')) pyFiles.push(p);
    }
  };
  walk(join(out, 'dist', 'python'));
  if (pyFiles.length === 0) {
    process.stderr.write('jsii build: no Python sources were generated\n');
    process.exit(1);
  }
  step('py_compile', 'python3', ['-m', 'py_compile', ...pyFiles]);
}

writeFileSync(infoFile, `${JSON.stringify({ inputHash, timings, totalMs: Date.now() - started }, null, 2)}\n`);
process.stdout.write(`jsii build: done in ${Date.now() - started} ms -> ${out}\n`);

function readme() {
  return [
    '# keyform',
    '',
    'Credentials as code: API keys, OAuth authorizations, project access and MCP-server grants as CDKTF',
    'constructs, applied by keyform\'s own Terraform provider (`keyform/keyform`).',
    '',
    '```ts',
    "const key = ApiKey.readOnly(stack, 'support', { name: 'support-assistant', scopes: [Scope.read('customers')] });",
    '```',
    '',
  ].join('\n');
}
