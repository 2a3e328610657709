/** Messages of `keyform provider install`, each with a stable code and a fix. */

/** The install messages. */
export const INSTALL_MESSAGES = {
  bundleMissing: (path: string): string =>
    `KFI001: the provider bundle ${path} does not exist. Run \`npm run build\` first (it writes dist/terraform-provider-keyform.js), or pass --bundle <file>.`,
  unsupportedPlatform: (platform: string): string =>
    `KFI002: Terraform has no platform name for ${platform}. keyform's provider installs on Linux and macOS (amd64, arm64).`,
  installed: (version: string, path: string): string => `keyform provider ${version} installed in ${path}`,
  unchanged: (version: string, path: string): string => `keyform provider ${version} is already installed in ${path} (same build)`,
  replaced: (version: string): string =>
    `KFI003: replaced a DIFFERENT build of keyform provider ${version}. Terraform records a checksum of the provider in each configuration's .terraform.lock.hcl, ` +
    'so configurations initialised with the previous build now fail `terraform init` with a checksum mismatch. ' +
    'Refresh them: run `terraform init -upgrade` in each of those directories (or delete their .terraform.lock.hcl and run `terraform init`).',
  devOverrides:
    'dev_overrides are active: Terraform uses this build directly, needs no `terraform init` for the keyform provider, and prints a warning about development overrides on every command.',
  exportLine: (configPath: string): string => `export TF_CLI_CONFIG_FILE=${configPath}`,
} as const;
