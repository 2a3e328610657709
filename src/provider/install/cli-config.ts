/**
 * The CLI configuration files `keyform provider install` writes. Terraform and OpenTofu read the same
 * file (TF_CLI_CONFIG_FILE) and the same `provider_installation` syntax; they differ in the registry
 * host a short source such as `keyform/keyform` expands to, so every block names both addresses.
 */

/** The provider's source address as Terraform expands `keyform/keyform`. */
export const PROVIDER_SOURCE = 'registry.terraform.io/keyform/keyform';
/** The provider's source address as OpenTofu expands `keyform/keyform`. */
export const OPENTOFU_PROVIDER_SOURCE = 'registry.opentofu.org/keyform/keyform';
/** Both addresses, Terraform's first: the mirror holds the provider under each. */
export const PROVIDER_SOURCES: readonly string[] = [PROVIDER_SOURCE, OPENTOFU_PROVIDER_SOURCE];

const hcl = (s: string): string => JSON.stringify(s);
const list = (items: readonly string[]): string => `[${items.map(hcl).join(', ')}]`;

/** A CLI config installing keyform from a filesystem mirror and everything else directly. */
export function mirrorCliConfig(pluginsDir: string): string {
  return [
    '# Written by `keyform provider install`: keyform/keyform comes from a local filesystem mirror,',
    '# under the address Terraform (registry.terraform.io) and OpenTofu (registry.opentofu.org) give it.',
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${hcl(pluginsDir)}`,
    `    include = ${list(PROVIDER_SOURCES)}`,
    '  }',
    '  direct {',
    `    exclude = ${list(PROVIDER_SOURCES)}`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** A CLI config overriding keyform/keyform with a development build (no `terraform init` needed). */
export function devCliConfig(devDir: string): string {
  return [
    '# Written by `keyform provider install --dev`: keyform/keyform is a development override',
    '# for Terraform (registry.terraform.io) and OpenTofu (registry.opentofu.org).',
    'provider_installation {',
    '  dev_overrides {',
    ...PROVIDER_SOURCES.map((source) => `    ${hcl(source)} = ${hcl(devDir)}`),
    '  }',
    '  direct {}',
    '}',
    '',
  ].join('\n');
}
