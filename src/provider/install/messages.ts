/** Messages of `keyform provider install`, each with a stable code and a fix. */

/** The install messages. */
export const INSTALL_MESSAGES = {
  bundleMissing: (path: string): string =>
    `KF-INSTALL-001: the provider bundle ${path} does not exist. Run \`npm run build\` first (it writes dist/provider/keyform-plugin.js), or pass --bundle <file>.`,
  unsupportedPlatform: (platform: string): string =>
    `KF-INSTALL-002: Terraform has no platform name for ${platform}. keyform's provider installs on Linux and macOS (amd64, arm64).`,
  installed: (version: string, path: string): string => `keyform provider ${version} installed in ${path} (for Terraform and OpenTofu)`,
  unchanged: (version: string, path: string): string => `keyform provider ${version} is already installed in ${path} (same build)`,
  replaced: (version: string, pluginsDir: string, platform: string): string =>
    `KF-INSTALL-003: replaced a DIFFERENT build of keyform provider ${version}. Terraform records the provider's checksum in each configuration's .terraform.lock.hcl, ` +
    'so `terraform init` in configurations initialised with the previous build now fails with "doesn\'t match any of the checksums previously recorded" ' +
    '(`terraform init -upgrade` does not help: the version is the same). In each of them run:\n' +
    `  terraform providers lock -fs-mirror=${pluginsDir} -platform=${platform} registry.terraform.io/keyform/keyform && terraform init\n` +
    `(with OpenTofu: tofu providers lock -fs-mirror=${pluginsDir} -platform=${platform} registry.opentofu.org/keyform/keyform && tofu init)\n` +
    'or delete the keyform/keyform entry from .terraform.lock.hcl and run `terraform init`. While iterating on the provider, `--dev` avoids lock files altogether.',
  devOverrides:
    'dev_overrides are active: Terraform uses this build directly, needs no `terraform init` for the keyform provider, and prints a warning about development overrides on every command.',
  exportLine: (configPath: string): string => `export TF_CLI_CONFIG_FILE=${configPath}`,
} as const;
