/**
 * Installs the bundled provider where Terraform and OpenTofu find it without a registry: an unpacked
 * filesystem mirror holding the bundle and a small launcher script under both addresses the short
 * source `keyform/keyform` expands to (`<dir>/plugins/registry.terraform.io/keyform/keyform/<version>/<os>_<arch>/`
 * for Terraform, `<dir>/plugins/registry.opentofu.org/...` for OpenTofu), plus one CLI config
 * `<dir>/terraformrc` both tools read through TF_CLI_CONFIG_FILE (or, with `dev`, a `dev_overrides`
 * config). Re-installing a different build of the same version is detected and reported, because it
 * invalidates the checksums in existing `.terraform.lock.hcl` files.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { devCliConfig, mirrorCliConfig, PROVIDER_SOURCES } from './cli-config';
import { INSTALL_MESSAGES } from './messages';

export { INSTALL_MESSAGES } from './messages';
export { OPENTOFU_PROVIDER_SOURCE, PROVIDER_SOURCE, PROVIDER_SOURCES, mirrorCliConfig, devCliConfig } from './cli-config';

/** The executable's base name Terraform looks for. */
export const EXECUTABLE_PREFIX = 'terraform-provider-keyform';
/** The bundle's file name inside the install directory. */
// Must not start with the executable prefix: Terraform would try to run it.
export const BUNDLE_NAME = 'keyform-plugin.js';

/** Options of {@link installProvider}. */
export interface InstallOptions {
  /** Install root; default `~/.keyform/terraform`. */
  readonly dir?: string;
  /** The bundled plugin (a single JS file). */
  readonly bundle: string;
  /** Provider version (keyform's version). */
  readonly version: string;
  /** Write a dev_overrides config instead of a filesystem mirror. */
  readonly dev?: boolean;
  /** The node binary the launcher runs; default the current one. */
  readonly nodePath?: string;
  /** Node `process.platform`/`process.arch` to install for; default the current ones. */
  readonly platform?: string;
  readonly arch?: string;
}

/** What an install did. */
export interface InstallResult {
  /** The CLI config to export as TF_CLI_CONFIG_FILE. */
  readonly configPath: string;
  /** The directory holding the launcher and the bundle (Terraform's address; the dev directory with `dev`). */
  readonly packageDir: string;
  /** The launcher Terraform runs. */
  readonly executable: string;
  /** Every mirror package written, one per provider address (one shared directory with `dev`). */
  readonly packages: readonly { readonly source: string; readonly packageDir: string; readonly executable: string }[];
  /** `new`: nothing was there; `same`: identical build already installed; `replaced`: a different build was overwritten. */
  readonly outcome: 'new' | 'same' | 'replaced';
  /** Human-readable lines to print (the last one is the export line). */
  readonly lines: readonly string[];
}

/** The default install root. */
export function defaultInstallDir(): string {
  return join(homedir(), '.keyform', 'terraform');
}

/** Terraform's platform name (`linux_amd64`) for a Node platform and architecture. */
export function terraformPlatform(platform: string = process.platform, arch: string = process.arch): string {
  const os = ({ linux: 'linux', darwin: 'darwin', freebsd: 'freebsd', openbsd: 'openbsd' } as Record<string, string>)[platform];
  const cpu = ({ x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' } as Record<string, string>)[arch];
  if (!os || !cpu) throw new Error(INSTALL_MESSAGES.unsupportedPlatform(`${platform}/${arch}`));
  return `${os}_${cpu}`;
}

/**
 * The launcher runs the bundle beside it (found through its own path), so the packages under both
 * addresses are byte-identical and Terraform records the same checksum for either.
 */
function launcher(nodePath: string, bundleName: string): string {
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  return `#!/bin/sh\n# Terraform/OpenTofu provider keyform/keyform: runs the bundled Node plugin beside this file.\nexec ${q(nodePath)} "$(dirname "$0")"/${q(bundleName)} "$@"\n`;
}

function writeIfChanged(path: string, content: Buffer | string, mode?: number): 'new' | 'same' | 'replaced' {
  const next = Buffer.isBuffer(content) ? content : Buffer.from(content);
  let outcome: 'new' | 'same' | 'replaced' = 'new';
  if (existsSync(path)) {
    if (readFileSync(path).equals(next)) return 'same';
    outcome = 'replaced';
  }
  // Write then rename: a Terraform run reading the old file never sees half a file.
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, next, mode !== undefined ? { mode } : undefined);
  if (mode !== undefined) chmodSync(tmp, mode);
  renameSync(tmp, path);
  return outcome;
}

/** Copies the plugin and writes its launcher into one package directory; the outcome for that directory. */
function installPackage(packageDir: string, executable: string, bundle: string, nodePath: string): 'new' | 'same' | 'replaced' {
  mkdirSync(packageDir, { recursive: true });
  // The plugin is its entry file plus the chunks and module marker beside it (source maps stay behind).
  const bundleDir = dirname(bundle);
  const files = readdirSync(bundleDir).filter(
    (f) => (f === basename(bundle) || (!f.endsWith('.map') && !f.startsWith(EXECUTABLE_PREFIX))) && statSync(join(bundleDir, f)).isFile(),
  );
  const entryName = basename(bundle).startsWith(EXECUTABLE_PREFIX) ? BUNDLE_NAME : basename(bundle);
  const copies = files.map((f) => ({ from: join(bundleDir, f), to: join(packageDir, f === basename(bundle) ? entryName : f) }));
  const outcomes = copies.map((c) => writeIfChanged(c.to, readFileSync(c.from)));
  // Chunks of an earlier build would only confuse the lock-file hash: remove what this build lacks.
  const keep = new Set([...copies.map((c) => basename(c.to)), basename(executable)]);
  for (const f of readdirSync(packageDir)) {
    if (!keep.has(f)) {
      rmSync(join(packageDir, f), { force: true, recursive: true });
      outcomes.push('replaced');
    }
  }
  const bundleOutcome = outcomes.includes('replaced') ? 'replaced' : outcomes.every((o) => o === 'same') ? 'same' : 'new';
  const launcherOutcome = writeIfChanged(executable, launcher(nodePath, entryName), 0o755);
  return bundleOutcome === 'replaced' || launcherOutcome === 'replaced' ? 'replaced' : bundleOutcome === 'same' && launcherOutcome === 'same' ? 'same' : 'new';
}

/** Installs the provider; idempotent (an identical build is left untouched). */
export function installProvider(opts: InstallOptions): InstallResult {
  const root = resolve(opts.dir ?? defaultInstallDir());
  const bundle = resolve(opts.bundle);
  if (!existsSync(bundle)) throw new Error(INSTALL_MESSAGES.bundleMissing(bundle));
  const platform = terraformPlatform(opts.platform, opts.arch);
  const nodePath = opts.nodePath ?? process.execPath;
  // dev_overrides name one directory for both addresses; the mirror needs a package under each.
  const packages = PROVIDER_SOURCES.map((source) => {
    const packageDir = opts.dev ? join(root, 'dev') : join(root, 'plugins', ...source.split('/'), opts.version, platform);
    return { source, packageDir, executable: join(packageDir, opts.dev ? EXECUTABLE_PREFIX : `${EXECUTABLE_PREFIX}_v${opts.version}`) };
  });
  const outcomes = [...new Map(packages.map((p) => [p.packageDir, p])).values()].map((p) => installPackage(p.packageDir, p.executable, bundle, nodePath));
  const outcome = outcomes.includes('replaced') ? 'replaced' : outcomes.every((o) => o === 'same') ? 'same' : 'new';
  const { packageDir, executable } = packages[0];

  const configPath = join(root, 'terraformrc');
  writeIfChanged(configPath, opts.dev ? devCliConfig(packageDir) : mirrorCliConfig(join(root, 'plugins')));

  const lines: string[] = [];
  const where = opts.dev ? packageDir : join(root, 'plugins');
  if (outcome === 'same') lines.push(INSTALL_MESSAGES.unchanged(opts.version, where));
  else lines.push(INSTALL_MESSAGES.installed(opts.version, where));
  if (outcome === 'replaced' && !opts.dev) lines.push(INSTALL_MESSAGES.replaced(opts.version, join(root, 'plugins'), platform));
  if (opts.dev) lines.push(INSTALL_MESSAGES.devOverrides);
  lines.push(INSTALL_MESSAGES.exportLine(configPath));
  return { configPath, packageDir, executable, packages, outcome, lines };
}
