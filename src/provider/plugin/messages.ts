/**
 * Every message the plugin runtime shows to users, with a stable code and how to fix it. Messages
 * never include attribute values (they may be secrets).
 */

/** A user-facing message. */
export interface RuntimeMessage {
  readonly code: string;
  readonly summary: string;
  readonly detail: string;
}

const m = (code: string, summary: string, detail: string): RuntimeMessage => ({ code, summary, detail });

/** The runtime's message catalog. */
export const MESSAGES = {
  notLaunchedByTerraform: m(
    'KF-PLUGIN-001',
    'This program is a Terraform provider plugin and must be started by Terraform.',
    'Install it with `keyform provider install`, export the printed TF_CLI_CONFIG_FILE, then run `terraform init` and `terraform plan` in your configuration.',
  ),
  protocolUnsupported: (offered: string): RuntimeMessage =>
    m(
      'KF-PLUGIN-002',
      `Terraform offered plugin protocol versions "${offered}", but this provider speaks only protocol 6.`,
      'Use Terraform 1.0 or newer.',
    ),
  unknownResourceType: (kind: string, typeName: string): RuntimeMessage =>
    m(
      'KF-PLUGIN-003',
      `Unknown ${kind} type "${typeName}"`,
      `This provider has no ${kind} type "${typeName}". Check the spelling in your configuration and that the installed provider version provides it (\`terraform providers schema -json\`).`,
    ),
  importUnsupported: (typeName: string): RuntimeMessage =>
    m('KF-PLUGIN-004', `Resource type "${typeName}" does not support import`, 'Create the resource from configuration instead of importing it.'),
  moveUnsupported: m(
    'KF-PLUGIN-005',
    'Moving resource state between resource types is not supported by this provider',
    'Remove the `moved` block that changes the resource type, or recreate the resource under its new type.',
  ),
  functionsUnsupported: (name: string): RuntimeMessage =>
    m('KF-PLUGIN-007', `Function "${name}" is not provided by this provider`, 'This provider defines no functions; remove the `provider::` function call.'),
  invalidRequestValue: (what: string, why: string): RuntimeMessage =>
    m('KF-PLUGIN-008', `Terraform sent a ${what} this provider cannot read`, `${why}. This is a bug in the provider: report it with the Terraform version and the resource type.`),
  invalidProviderValue: (what: string, why: string): RuntimeMessage =>
    m('KF-PLUGIN-009', `The provider produced an invalid ${what}`, `${why}. This is a bug in the provider: report it with the resource type.`),
  unknownAfterApply: (path: string): RuntimeMessage =>
    m('KF-PLUGIN-010', `The provider left "${path}" unknown after apply`, 'Every attribute must be known once a resource is created or updated. This is a bug in the provider: report it with the resource type.'),
  stateFromNewerProvider: (typeName: string, version: number, current: number): RuntimeMessage =>
    m(
      'KF-PLUGIN-011',
      `The state of this ${typeName} was written by a newer provider (schema version ${version}, this provider knows ${current})`,
      'Install the provider version that wrote the state (or newer) and run the command again.',
    ),
  stateNotJson: m(
    'KF-PLUGIN-012',
    'The stored state is in the legacy flatmap format',
    'This provider reads only JSON state. Remove the resource from state (`terraform state rm`) and import it again.',
  ),
  upgradeMissing: (typeName: string, version: number): RuntimeMessage =>
    m(
      'KF-PLUGIN-013',
      `The state of this ${typeName} has schema version ${version} and the provider defines no upgrade from it`,
      'Install the provider version that wrote the state, or remove the resource from state and import it again.',
    ),
  writeOnlyNotAllowed: (path: string): RuntimeMessage =>
    m(
      'KF-PLUGIN-006',
      `"${path}" is write-only, and this Terraform cannot handle write-only attributes`,
      'Write-only attributes need Terraform 1.11 or newer (OpenTofu 1.11 or newer). Upgrade Terraform, or remove the attribute from the configuration.',
    ),
  invalidWriteOnlySchema: (path: string, why: string): RuntimeMessage =>
    m('KF-PLUGIN-015', `The provider declares "${path}" write-only, which Terraform does not allow`, `${why}. This is a bug in the provider: report it with the resource type.`),
  internalError: m('KF-PLUGIN-014', 'The provider failed unexpectedly', 'Run again with TF_LOG_PROVIDER=debug for details, and report the problem if it persists.'),
} as const;
