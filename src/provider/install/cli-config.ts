/** The Terraform CLI configuration files `keyform provider install` writes. */

/** The provider's source address as Terraform spells it. */
export const PROVIDER_SOURCE = 'registry.terraform.io/keyform/keyform';

const hcl = (s: string): string => JSON.stringify(s);

/** A CLI config installing keyform from a filesystem mirror and everything else directly. */
export function mirrorCliConfig(pluginsDir: string): string {
  return [
    '# Written by `keyform provider install`: keyform/keyform comes from a local filesystem mirror.',
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${hcl(pluginsDir)}`,
    `    include = [${hcl(PROVIDER_SOURCE)}]`,
    '  }',
    '  direct {',
    `    exclude = [${hcl(PROVIDER_SOURCE)}]`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** A CLI config overriding keyform/keyform with a development build (no `terraform init` needed). */
export function devCliConfig(devDir: string): string {
  return [
    '# Written by `keyform provider install --dev`: keyform/keyform is a development override.',
    'provider_installation {',
    '  dev_overrides {',
    `    ${hcl(PROVIDER_SOURCE)} = ${hcl(devDir)}`,
    '  }',
    '  direct {}',
    '}',
    '',
  ].join('\n');
}
