/**
 * Every user-facing message of the constructs layer: synth-time validations (codes `KFV…`) and the
 * texts of the credential policy rules (codes `KF1…`). Each message names the construct path and
 * says how to fix the problem; none ever contains a secret value.
 */

/** Formats one validation message: code, construct path, problem and fix. */
function validation(code: string, path: string, problem: string, fix: string): string {
  return `${code} at ${path}: ${problem}. Fix: ${fix}.`;
}

/** Synth-time validation messages, one function per stable code. */
export const VALIDATION = {
  unknownScope: (path: string, scope: string, suggestion?: string) =>
    validation(
      'KFV001',
      path,
      `unknown scope "${scope}"`,
      suggestion
        ? `did you mean "${suggestion}"? Scopes are <resource>:read or <resource>:write over the catalog (DataKeyformScopes lists it)`
        : 'use <resource>:read or <resource>:write with a resource of the catalog (DataKeyformScopes lists it)',
    ),
  nameHasAngleBrackets: (path: string, what: string, name: string) =>
    validation('KFV002', path, `${what} name "${name}" contains "<" or ">"`, 'remove "<" and ">" from the name (the API requires ^[^<>]*$)'),
  emptyScope: (path: string, index: number) =>
    validation('KFV003', path, `scope #${index + 1} is empty`, 'remove the empty entry or name a scope such as Scope.read(\'customers\')'),
  duplicateScope: (path: string, scope: string) =>
    validation('KFV004', path, `scope "${scope}" is listed more than once`, 'list each scope once'),
  capabilityPrerequisite: (path: string, capability: string, prerequisite: string) =>
    validation('KFV005', path, `capability "${capability}" requires capability "${prerequisite}"`, `add Capability for "${prerequisite}" to capabilities`),
  mcpGrantWithoutProjectAccess: (path: string, server: string, project?: string) =>
    validation(
      'KFV006',
      path,
      project
        ? `MCP server "${server}" is granted for project "${project}", but the authorization has no access to that project`
        : `MCP server "${server}" is granted, but the authorization has no project access`,
      `call grantProject('${project ?? '<project id>'}', ProjectRole.VIEWER) on the authorization (an MCP server is reachable only through its project)`,
    ),
  mcpGrantWithoutMcpCapability: (path: string, server: string) =>
    validation('KFV007', path, `MCP server "${server}" is granted, but the authorization lacks capability "mcp"`, 'add Capability.MCP to the authorization\'s capabilities'),
  liveWithoutAllowLive: (path: string) =>
    validation(
      'KFV008',
      path,
      'mode is LIVE but the keyform provider does not set allowLive',
      'set allowLive: true on the KeyformProvider this key uses (live keys act on real money), or use KeyMode.TEST',
    ),
  duplicateCapability: (path: string, capability: string) =>
    validation('KFV009', path, `capability "${capability}" is listed more than once`, 'list each capability once'),
  secretDeliveryTarget: (path: string) =>
    validation('KFV010', path, 'secretDelivery must name exactly one of file or command', 'set either secretDelivery.file or secretDelivery.command, not both and not neither'),
  secretDeliveryCommandOnly: (path: string, field: string) =>
    validation('KFV021', path, `secretDelivery.${field} applies to a command, not a file`, `remove secretDelivery.${field}, or deliver to secretDelivery.command`),
  secretDeliveryReservedEnv: (path: string, name: string) =>
    validation(
      'KFV022',
      path,
      `secretDelivery variable "${name}" is reserved`,
      "the provider's own settings and credentials (KEYFORM_*) never reach a delivery command; remove it",
    ),
  secretDeliveryEnvName: (path: string, name: string) =>
    validation('KFV023', path, `secretDelivery variable name "${name}" is not an environment variable name`, 'use letters, digits and _ (not starting with a digit)'),
  secretDeliveryTimeout: (path: string, timeout: string) =>
    validation('KFV024', path, `secretDelivery.timeout ${timeout} is not between 1 second and 1 hour`, 'choose e.g. Duration.seconds(30) or Duration.minutes(2) (default 60 seconds)'),
  rotationGraceTooLong: (path: string, every: string, grace: string) =>
    validation('KFV011', path, `rotation grace period ${grace} is not shorter than the rotation interval ${every}`, 'choose a grace period shorter than rotation.every'),
  emptyName: (path: string, what: string) =>
    validation('KFV012', path, `${what} name is empty`, 'give it a descriptive name such as "support-assistant"'),
  unknownCapability: (path: string, capability: string) =>
    validation('KFV013', path, `unknown capability "${capability}"`, 'use one of Capability.MCP, API, APPS_VIEW, APPS_ADMIN, FLOWS_EDIT, SECRETS_EDIT, ENDPOINTS_ACCESS'),
  invalidExpiresAt: (path: string, value: string) =>
    validation('KFV014', path, `expiresAt "${value}" is not an RFC 3339 timestamp`, 'write it like "2027-01-31T00:00:00Z"'),
  readOnlyPresetWithWriteScope: (path: string, scope: string) =>
    validation('KFV015', path, `read-only key lists write scope "${scope}"`, `use Scope.read(...) instead, or create a plain ApiKey if the consumer must write`),
  projectGrantConflict: (path: string, project: string, existing: string, requested: string) =>
    validation('KFV016', path, `project "${project}" is already granted with role "${existing}", now requested with "${requested}"`, 'grant each project once, with the highest role the tool needs'),
  invalidDuration: (what: string, detail: string) =>
    `KFV017: invalid duration ${what}: ${detail}. Fix: use a positive whole number, e.g. Duration.days(90) or Duration.parse('24h').`,
  unknownPolicyRule: (path: string, rule: string, known: readonly string[]) =>
    validation('KFV018', path, `unknown policy rule "${rule}"`, `acknowledge one of ${known.join(', ')}`),
  acknowledgementWithoutReason: (path: string, rule: string) =>
    validation('KFV019', path, `acknowledgement of ${rule} has no reason`, 'say why the risk is accepted, e.g. "payment service must create refunds; reviewed by security"'),
  unknownRole: (path: string, role: string) =>
    validation('KFV020', path, `unknown project role "${role}"`, 'use ProjectRole.VIEWER, EDITOR or ADMIN'),
  frameworkLineMismatch: (path: string, ours: string, theirs: string) =>
    validation(
      'KFV026',
      path,
      `this keyform construct is built on ${ours} (imported from '${ours === 'cdktn' ? 'keyform/cdktn' : 'keyform'}'), but its stack is a ${theirs} stack; the two frameworks cannot share an app`,
      `import keyform's constructs from '${theirs === 'cdktn' ? 'keyform/cdktn' : 'keyform'}', like App and TerraformStack from '${theirs}'`,
    ),
  accessTokenHalfCredentials: (path: string, missing: string) =>
    validation('KFV025', path, `the access token sets only one of clientId and clientSecret (${missing} is missing)`, `set ${missing} too, or neither to use the provider's own client credentials`),
} as const;

/** Plain-language texts of a policy rule. */
export interface PolicyRuleText {
  /** One-line title. */
  readonly title: string;
  /** Why the finding matters. */
  readonly explanation: string;
  /** How to fix it. */
  readonly fix: string;
}

/** The texts of every credential policy rule, keyed by rule id. */
export const POLICY_TEXT: Readonly<Record<string, PolicyRuleText>> = {
  KF101: {
    title: 'Secret key without scopes',
    explanation: 'a secret key with no scopes has full access to its account (every resource, read and write)',
    fix: 'list only the scopes the consumer needs, e.g. Scope.read(\'customers\')',
  },
  KF102: {
    title: 'Live key with write scopes',
    explanation: 'a live key with write scopes can change real data (refunds, charges, customers)',
    fix: 'use read scopes only, or keep the write scopes as narrow as possible and acknowledge the rule with a reason',
  },
  KF103: {
    title: 'Live secret key without expiry or rotation',
    explanation: 'a live secret key that never expires and is never rotated stays valid forever if it leaks',
    fix: 'set rotation: { every: Duration.days(90), gracePeriod: Duration.hours(24) } or expiresAt',
  },
  KF104: {
    title: 'Powerful authorization capability',
    explanation: 'capabilities apps:admin and secrets:edit let a tool manage apps or read and change secrets on the owner\'s behalf',
    fix: 'drop apps:admin / secrets:edit unless the tool really needs them',
  },
  KF105: {
    title: 'Public or tokenization key with write scopes',
    explanation: 'public and tokenization keys are embedded in clients and are not secret; write scopes on them let anyone who sees them change data',
    fix: 'give public and tokenization keys read scopes only, and use a secret key on a server for writes',
  },
  KF106: {
    title: 'MCP server reachable without the mcp capability',
    explanation: 'an MCP-server grant on an authorization without the mcp capability is rejected by the API, or is a sign of a confused setup',
    fix: 'add Capability.MCP to the authorization, or remove the MCP-server grant',
  },
  KF107: {
    title: 'Provider credential written into the configuration',
    explanation: 'a literal token or client secret on KeyformProvider is written in plain text into cdk.tf.json',
    fix: 'leave token/clientSecret unset and export KEYFORM_TOKEN or KEYFORM_CLIENT_ID/KEYFORM_CLIENT_SECRET, or pass a sensitive TerraformVariable',
  },
  KF108: {
    title: 'Live key delivered to a file',
    explanation:
      'a file exists only on the machine that ran the apply: a scheduled rotation on a throw-away CI runner writes the new secret there and the runner discards it, so the consumer keeps the old secret and is cut off when the grace period ends',
    fix: "deliver live keys to a durable secret store through secretDelivery.command, e.g. { command: 'vault kv put -mount=secret payments/checkout value=-', inheritEnv: ['VAULT_ADDR', 'VAULT_TOKEN'] }, or acknowledge the rule if the file is on storage the consumer reads and every apply runs on that machine",
  },
};

/** Formats a policy finding for a construct. */
export function policyFinding(rule: string, level: string, path: string, detail: string): string {
  const text = POLICY_TEXT[rule];
  return `${rule} [${level}] at ${path}: ${text.title}: ${detail}; ${text.explanation}. Fix: ${text.fix}. ` +
    `If the risk is accepted: CredentialPolicy.acknowledge(construct, '${rule}', '<reason>').`;
}

/** Formats the info note left where a finding was acknowledged. */
export function policyAcknowledged(rule: string, path: string, reason: string): string {
  return `${rule} acknowledged at ${path}: ${reason}`;
}
