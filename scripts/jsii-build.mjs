#!/usr/bin/env node
/**
 * Builds keyform's jsii assemblies and language bindings, one per CDK line (scripts/cdk-lines.mjs):
 * `keyform` on cdktf 0.21 and `keyform-cdktn` on cdktn 0.24, each in a staging package.
 *
 * The root package also holds code jsii cannot compile (server, provider, CLI; zod), so this script
 * copies the construct library (src/index.ts, src/constructs/**, src/model/rules/**, src/model/catalog.ts, src/model/redaction.ts,
 * src/version.ts, and the line's own sources such as src/cdktn/**) into a staging directory per line (the framework import rewritten for cdktn) with
 * its own package.json, links the root node_modules, and runs there:
 *   1. jsii                                   -> <out>/<line>/.jsii
 *   2. jsii-pacmak --targets js               -> <out>/<line>/dist/js/<name>@<version>.jsii.tgz
 *   3. jsii-pacmak --code-only (python, java, go, dotnet sources; full builds need remote registries)
 *   4. python3 -m py_compile over the generated Python
 *
 * Usage: node scripts/jsii-build.mjs [--out <dir>] [--line cdktf|cdktn] [--force] [--skip-bindings]
 * Default out: build/jsii; default: both lines. A line whose inputs (sources, this script, tool
 * versions) are unchanged is reused unless --force is given; <out>/<line>/build-info.json records the
 * input hash and timings.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constructSources, LINES, sourceForLine } from './cdk-lines.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? resolve(args[i + 1]) : fallback;
};
const out = option('--out', join(root, 'build', 'jsii'));
const withBindings = !flag('--skip-bindings');
const lineArg = args.includes('--line') ? args[args.indexOf('--line') + 1] : undefined;
if (lineArg !== undefined && !LINES[lineArg]) {
  process.stderr.write(`jsii build: unknown line "${lineArg}"; use one of ${Object.keys(LINES).join(', ')}\n`);
  process.exit(2);
}
const lines = lineArg ? [lineArg] : Object.keys(LINES);

const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const toolVersion = (name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
const env = { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20', JSII_SUPPRESS_UPGRADE_PROMPT: '1' };
const bin = (pkg, file) => join(root, 'node_modules', pkg, 'bin', file);

/**
 * The staging package's manifest: jsii targets and the peer dependencies of a construct library.
 * The cdktn line's constructs range is cdktn's own, so a binding never pulls a constructs cdktn refuses.
 */
function manifest(line) {
  const { framework, jsii } = LINES[line];
  const constructsRange =
    framework === 'cdktf' ? rootPkg.peerDependencies.constructs : JSON.parse(readFileSync(join(root, 'node_modules', framework, 'package.json'), 'utf8')).peerDependencies.constructs;
  return {
    name: jsii.name,
    version: rootPkg.version,
    description: rootPkg.description,
    license: rootPkg.license,
    author: rootPkg.author,
    repository: rootPkg.repository,
    main: 'src/index.js',
    types: 'src/index.d.ts',
    // Without `files`, npm pack (used by jsii-pacmak's js target) would include the sources and links.
    files: ['src/**/*.js', 'src/**/*.d.ts', '.jsii', 'README.md'],
    peerDependencies: { [framework]: rootPkg.peerDependencies[framework], constructs: constructsRange },
    devDependencies: { [framework]: toolVersion(framework), constructs: toolVersion('constructs') },
    keywords: [framework, 'terraform', 'api-keys', 'oauth', 'mcp', 'credentials'],
    stability: 'experimental',
    jsii: {
      outdir: 'dist',
      versionFormat: 'short',
      excludeTypescript: ['dist/**'],
      targets: jsii.targets,
      tsc: { rootDir: 'src', outDir: 'src' },
    },
  };
}

for (const line of lines) buildLine(line);

/** Builds (or reuses) one line's assembly and bindings in <out>/<line>. */
function buildLine(line) {
  const lineOut = join(out, line);
  const pkg = manifest(line);
  const files = constructSources(root, line);
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ manifest: pkg, tools: ['jsii', 'jsii-pacmak', LINES[line].framework, 'constructs'].map(toolVersion), withBindings }));
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  hash.update(readFileSync(join(root, 'scripts', 'cdk-lines.mjs')));
  for (const f of files) hash.update(f).update(readFileSync(join(root, f)));
  const inputHash = hash.digest('hex');

  const infoFile = join(lineOut, 'build-info.json');
  if (!flag('--force') && existsSync(infoFile)) {
    const info = JSON.parse(readFileSync(infoFile, 'utf8'));
    if (info.inputHash === inputHash) {
      process.stdout.write(`jsii build: ${line} up to date in ${relative(process.cwd(), lineOut) || '.'} (${inputHash.slice(0, 12)})\n`);
      return;
    }
  }

  const started = Date.now();
  const timings = {};
  function step(name, cmd, cmdArgs) {
    const t = Date.now();
    try {
      execFileSync(cmd, cmdArgs, { cwd: lineOut, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
    } catch (err) {
      process.stderr.write(`jsii build: ${line}: step "${name}" failed:\n${err.stdout ?? ''}${err.stderr ?? ''}\n`);
      process.exit(1);
    }
    timings[name] = Date.now() - t;
    process.stdout.write(`jsii build: ${line}: ${name} ${timings[name]} ms\n`);
  }

  // jsii never cleans its output folder: start from an empty staging directory.
  rmSync(lineOut, { recursive: true, force: true });
  mkdirSync(lineOut, { recursive: true });
  for (const f of files) {
    mkdirSync(dirname(join(lineOut, f)), { recursive: true });
    writeFileSync(join(lineOut, f), sourceForLine(root, f, readFileSync(join(root, f), 'utf8'), line));
  }
  writeFileSync(join(lineOut, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  writeFileSync(join(lineOut, 'README.md'), readme(line));
  symlinkSync(join(root, 'node_modules'), join(lineOut, 'node_modules'), 'dir');

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
    walk(join(lineOut, 'dist', 'python'));
    if (pyFiles.length === 0) {
      process.stderr.write(`jsii build: ${line}: no Python sources were generated\n`);
      process.exit(1);
    }
    step('py_compile', 'python3', ['-m', 'py_compile', ...pyFiles]);
  }

  writeFileSync(infoFile, `${JSON.stringify({ inputHash, timings, totalMs: Date.now() - started }, null, 2)}\n`);
  process.stdout.write(`jsii build: ${line}: done in ${Date.now() - started} ms -> ${lineOut}\n`);
}

function readme(line) {
  const { framework, jsii } = LINES[line];
  const on = framework === 'cdktf' ? 'CDKTF 0.21 (`cdktf`)' : 'CDK Terrain 0.24 (`cdktn`), the maintained successor of CDKTF';
  return [
    `# ${jsii.name}`,
    '',
    `Credentials as code on ${on}: API keys, OAuth authorizations, project access and MCP-server grants`,
    "as constructs, applied by keyform's own Terraform provider (`keyform/keyform`).",
    '',
    '```ts',
    "const key = ApiKey.readOnly(stack, 'support', { name: 'support-assistant', scopes: [Scope.read('customers')] });",
    '```',
    '',
  ].join('\n');
}
