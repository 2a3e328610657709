/**
 * Every user-facing message of the constructs layer: synth-time validations (codes `KF-CONSTRUCT-NNN`) and the
 * formats of credential policy findings (the rules' codes `KF1…` and texts live with their checks in
 * policy-rules.ts). Each message names the construct path and says how to fix the problem; none ever
 * contains a secret value. The rules shared with the provider and the server (names, scopes,
 * capabilities, times, durations, roles) have their messages in the rulebook's catalog
 * (src/model/rules/messages.ts, codes `KF-RULE-…`).
 */
import type { Finding } from '../model/rules/finding';

/** Formats one validation message: code, construct path, problem and fix. */
function validation(code: string, path: string, problem: string, fix: string): string {
  return `${code} at ${path}: ${problem}. Fix: ${fix}.`;
}

/**
 * Formats a finding of the rulebook (src/model/rules) for a construct: the rule's own code, problem
 * and fix, so synth says what `terraform validate` and the API say.
 */
export function ruleFinding(path: string, f: Finding): string {
  return validation(f.code, path, f.problem, f.fix);
}

/** Synth-time validation messages, one function per stable code. */
export const VALIDATION = {
  mcpGrantWithoutProjectAccess: (path: string, server: string, project?: string) =>
    validation(
      'KF-CONSTRUCT-006',
      path,
      project
        ? `MCP server "${server}" is granted for project "${project}", but the authorization has no access to that project`
        : `MCP server "${server}" is granted, but the authorization has no project access`,
      `call grantProject('${project ?? '<project id>'}', ProjectRole.VIEWER) on the authorization (an MCP server is reachable only through its project)`,
    ),
  mcpGrantWithoutMcpCapability: (path: string, server: string) =>
    validation('KF-CONSTRUCT-007', path, `MCP server "${server}" is granted, but the authorization lacks capability "mcp"`, 'add Capability.MCP to the authorization\'s capabilities'),
  liveWithoutAllowLive: (path: string) =>
    validation(
      'KF-CONSTRUCT-008',
      path,
      'mode is LIVE but the keyform provider does not set allowLive',
      'set allowLive: true on the KeyformProvider this key uses (live keys act on real money), or use KeyMode.TEST',
    ),
  readOnlyPresetWithWriteScope: (path: string, scope: string) =>
    validation('KF-CONSTRUCT-015', path, `read-only key lists write scope "${scope}"`, `use Scope.read(...) instead, or create a plain ApiKey if the consumer must write`),
  projectGrantConflict: (path: string, project: string, existing: string, requested: string) =>
    validation('KF-CONSTRUCT-016', path, `project "${project}" is already granted with role "${existing}", now requested with "${requested}"`, 'grant each project once, with the highest role the tool needs'),
  unknownPolicyRule: (path: string, rule: string, known: readonly string[]) =>
    validation('KF-CONSTRUCT-018', path, `unknown policy rule "${rule}"`, `acknowledge one of ${known.join(', ')}`),
  acknowledgementWithoutReason: (path: string, rule: string) =>
    validation('KF-CONSTRUCT-019', path, `acknowledgement of ${rule} has no reason`, 'say why the risk is accepted, e.g. "payment service must create refunds; reviewed by security"'),
  frameworkLineMismatch: (path: string, ours: string, theirs: string) =>
    validation(
      'KF-CONSTRUCT-026',
      path,
      `this keyform construct is built on ${ours} (imported from '${ours === 'cdktn' ? 'keyform/cdktn' : 'keyform'}'), but its stack is a ${theirs} stack; the two frameworks cannot share an app`,
      `import keyform's constructs from '${theirs === 'cdktn' ? 'keyform/cdktn' : 'keyform'}', like App and TerraformStack from '${theirs}'`,
    ),
  accessTokenHalfCredentials: (path: string, missing: string) =>
    validation('KF-CONSTRUCT-025', path, `the access token sets only one of clientId and clientSecret (${missing} is missing)`, `set ${missing} too, or neither to use the provider's own client credentials`),
} as const;

/** The texts of a policy rule a finding quotes (the rules themselves live in policy-rules.ts). */
export interface PolicyRuleText {
  /** Stable id, e.g. `KF101`. */
  readonly id: string;
  /** One-line title. */
  readonly title: string;
  /** Why the finding matters. */
  readonly explanation: string;
  /** How to fix it. */
  readonly fix: string;
}

/** Formats a policy finding for a construct. */
export function policyFinding(rule: PolicyRuleText, level: string, path: string, detail: string): string {
  return `${rule.id} [${level}] at ${path}: ${rule.title}: ${detail}; ${rule.explanation}. Fix: ${rule.fix}. ` +
    `If the risk is accepted: CredentialPolicy.acknowledge(construct, '${rule.id}', '<reason>').`;
}

/**
 * Formats the error finding of a rule that threw instead of answering: the construct could not be
 * checked, so it is not passed (the policy fails closed), and the other rules and constructs are
 * still checked. `detail` is the error's own text, already redacted.
 */
export function policyRuleFailed(rule: PolicyRuleText, path: string, detail: string): string {
  return `${rule.id} [error] at ${path}: ${rule.title}: the rule could not be checked (${detail}). ` +
    `Fix: this is a defect of the rule, please report it with this message; until it is fixed, ` +
    `CredentialPolicy.addTo(scope, { disabledRules: ['${rule.id}'] }) skips the rule (an acknowledgement does not cover a rule that could not run).`;
}

/**
 * Formats the info note left where a finding was acknowledged; `acknowledgedAt` is the construct
 * the acknowledgement was made on when it is an ancestor (inherited).
 */
export function policyAcknowledged(rule: string, path: string, reason: string, acknowledgedAt?: string): string {
  const where = acknowledgedAt !== undefined && acknowledgedAt !== path ? ` (acknowledged on ${acknowledgedAt || '<app>'})` : '';
  return `${rule} acknowledged at ${path}${where}: ${reason}`;
}
