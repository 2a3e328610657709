/**
 * Installs the bundled provider where Terraform finds it without a registry: an unpacked filesystem
 * mirror (`<dir>/plugins/registry.terraform.io/keyform/keyform/<version>/<os>_<arch>/`) holding the
 * bundle and a small launcher script, plus a CLI config `<dir>/terraformrc` pointing at it (or, with
 * `dev`, a `dev_overrides` config). Re-installing a different build of the same version is detected
 * and reported, because it invalidates the checksums in existing `.terraform.lock.hcl` files.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { devCliConfig, mirrorCliConfig } from './cli-config';
import { INSTALL_MESSAGES } from './messages';

export { INSTALL_MESSAGES } from './messages';
export { PROVIDER_SOURCE, mirrorCliConfig, devCliConfig } from './cli-config';

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
  /** The directory holding the launcher and the bundle. */
  readonly packageDir: string;
  /** The launcher Terraform runs. */
  readonly executable: string;
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

function launcher(nodePath: string, bundlePath: string): string {
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  return `#!/bin/sh\n# Terraform provider keyform/keyform: runs the bundled Node plugin.\nexec ${q(nodePath)} ${q(bundlePath)} "$@"\n`;
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

/** Installs the provider; idempotent (an identical build is left untouched). */
export function installProvider(opts: InstallOptions): InstallResult {
  const root = resolve(opts.dir ?? defaultInstallDir());
  const bundle = resolve(opts.bundle);
  if (!existsSync(bundle)) throw new Error(INSTALL_MESSAGES.bundleMissing(bundle));
  const platform = terraformPlatform(opts.platform, opts.arch);
  const packageDir = opts.dev
    ? join(root, 'dev')
    : join(root, 'plugins', 'registry.terraform.io', 'keyform', 'keyform', opts.version, platform);
  mkdirSync(packageDir, { recursive: true });
  const executable = join(packageDir, opts.dev ? EXECUTABLE_PREFIX : `${EXECUTABLE_PREFIX}_v${opts.version}`);
  // The plugin is its entry file plus the chunks and module marker beside it (source maps stay behind).
  const bundleDir = dirname(bundle);
  const files = readdirSync(bundleDir).filter(
    (f) => (f === basename(bundle) || (!f.endsWith('.map') && !f.startsWith(EXECUTABLE_PREFIX))) && statSync(join(bundleDir, f)).isFile(),
  );
  const entryName = basename(bundle).startsWith(EXECUTABLE_PREFIX) ? BUNDLE_NAME : basename(bundle);
  const copies = files.map((f) => ({ from: join(bundleDir, f), to: join(packageDir, f === basename(bundle) ? entryName : f) }));
  const bundleTarget = join(packageDir, entryName);
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
  const launcherOutcome = writeIfChanged(executable, launcher(opts.nodePath ?? process.execPath, bundleTarget), 0o755);
  const outcome = bundleOutcome === 'replaced' || launcherOutcome === 'replaced' ? 'replaced' : bundleOutcome === 'same' && launcherOutcome === 'same' ? 'same' : 'new';

  const configPath = join(root, 'terraformrc');
  writeIfChanged(configPath, opts.dev ? devCliConfig(packageDir) : mirrorCliConfig(join(root, 'plugins')));

  const lines: string[] = [];
  if (outcome === 'same') lines.push(INSTALL_MESSAGES.unchanged(opts.version, packageDir));
  else lines.push(INSTALL_MESSAGES.installed(opts.version, packageDir));
  if (outcome === 'replaced' && !opts.dev) lines.push(INSTALL_MESSAGES.replaced(opts.version, join(root, 'plugins'), platform));
  if (opts.dev) lines.push(INSTALL_MESSAGES.devOverrides);
  lines.push(INSTALL_MESSAGES.exportLine(configPath));
  return { configPath, packageDir, executable, outcome, lines };
}
