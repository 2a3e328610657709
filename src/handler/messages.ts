/**
 * Every user-facing message of the handler and the keyform provider, each with a stable code and a
 * fix. Messages never contain a secret: callers pass ids, names and addresses only.
 */
import { codedMessage, type CodedMessage } from '../message-catalog';

/** What a plan or apply would do to a live credential (see {@link MESSAGES.liveNotAllowed}). */
export type LiveAction = 'create' | 'manage' | 'replace' | 'update' | 'rotate' | 'destroy';

/** A message: stable code, summary and how to fix it. */
export type HandlerMessage = CodedMessage;

const msg = codedMessage;

/** The handler's and provider's messages. */
export const MESSAGES = {
  missingEndpoint: () =>
    msg(
      'KF-HANDLER-001',
      'Missing keyform endpoint',
      'Set `endpoint` in the keyform provider block or the KEYFORM_ENDPOINT environment variable, e.g. http://127.0.0.1:8080.',
    ),
  invalidEndpoint: (endpoint: string) =>
    msg('KF-HANDLER-002', 'Invalid keyform endpoint', `\`endpoint\` must be an http:// or https:// URL; got "${endpoint}".`),
  missingCredentials: () =>
    msg(
      'KF-HANDLER-003',
      'Missing keyform credentials',
      'Set `token` (or KEYFORM_TOKEN), or both `client_id` and `client_secret` (or KEYFORM_CLIENT_ID and KEYFORM_CLIENT_SECRET) in the keyform provider block.',
    ),
  halfClientCredentials: (missing: 'client_id' | 'client_secret') =>
    msg(
      'KF-HANDLER-004',
      `Missing keyform ${missing}`,
      `\`client_id\` and \`client_secret\` go together: set \`${missing}\` (or KEYFORM_${missing.toUpperCase()}) too, or use \`token\` (KEYFORM_TOKEN) instead.`,
    ),
  invalidAllowLive: (raw: string) =>
    msg('KF-HANDLER-005', 'Invalid KEYFORM_ALLOW_LIVE value', `KEYFORM_ALLOW_LIVE must be "true" or "false"; got "${raw}".`),
  notConfigured: () =>
    msg('KF-HANDLER-006', 'The keyform provider is not configured', 'Add a `provider "keyform" {}` block with `endpoint` and credentials.'),
  missingMid: () =>
    msg(
      'KF-HANDLER-007',
      'Missing merchant id',
      'Set `mid` on the key, or a default `mid` in the keyform provider block (or KEYFORM_MID).',
    ),
  fullAccessKey: (mid: string) =>
    msg(
      'KF-HANDLER-016',
      'Secret key without scopes has full access',
      `A secret key with no scopes can do everything on merchant ${mid}. Unless that is intended, list only the scopes it needs, e.g. scopes = ["customers:read"].`,
    ),
  liveNotAllowed: (action: LiveAction, where: string) =>
    msg(
      'KF-HANDLER-019',
      `Live credentials need allow_live: refusing to ${action} ${where}`,
      `${where} acts on LIVE data, and every change of a live credential (create, update, rotate, replace, destroy, or removing its resource block) needs allow_live. Set \`allow_live = true\` in the keyform provider block (or KEYFORM_ALLOW_LIVE=true) for the run that should change live credentials; to keep it, restore its block or its mode = "live". Nothing was changed.`,
    ),
  secretDeliveryFileFailed: (path: string, reason: string) =>
    msg(
      'KF-HANDLER-021',
      'Could not deliver the secret to its file',
      `Writing ${path} failed: ${reason}. Fix the path and apply again: the next apply issues a fresh secret and delivers it (a secret that reached no one is never kept: a key or authorization just created for it is revoked again).`,
    ),
  secretDeliveryCommandFailed: (status: string, firstLine: string) =>
    msg(
      'KF-HANDLER-022',
      'Could not deliver the secret to its command',
      `The secret_delivery command failed: ${status}.${firstLine ? ` First line of its error output (redacted): ${JSON.stringify(firstLine)}.` : ' It wrote no error output.'} Its full error output, redacted, is in the provider's debug log (TF_LOG=debug). Fix the command and apply again: the next apply issues a fresh secret and delivers it (a key or authorization just created for it is revoked again).`,
    ),
  secretDeliveryCommandTimedOut: (seconds: number) =>
    msg(
      'KF-HANDLER-023',
      'The secret delivery command timed out',
      `The secret_delivery command did not finish within ${seconds}s and was stopped (with every process it started). Fix the command, or raise secret_delivery.timeout (e.g. timeout = "2m"), and apply again: the next apply issues a fresh secret and delivers it (a key or authorization just created for it is revoked again).`,
    ),
  deliveryChanged: (where: string, from: string, to: string, grace: string) =>
    msg(
      'KF-HANDLER-029',
      `${where}: the secret's delivery changes from ${from} to ${to}`,
      `A new path to the secret is planned as a re-delivery: apply rotates the key and delivers the new secret to ${to}; the previous secret (held by ${from}) keeps working for ${grace} (the key's grace period), then stops. Review the new destination: it receives a working secret.`,
    ),
  authorizationDeliveryChanged: (where: string, from: string, to: string) =>
    msg(
      'KF-HANDLER-030',
      `${where}: the client secret's delivery changes from ${from} to ${to}`,
      `An authorization's secret cannot be rotated in place, so a new destination means a new authorization: apply creates it and delivers its secret to ${to}, then deletes this one, whose secret (held by ${from}) stops working at once. Review the new destination: it receives a working secret.`,
    ),
  rotationDue: (since: string) =>
    msg('KF-HANDLER-031', `Rotation due since ${since}`, 'Apply rotates the key: a new secret is issued and the previous one keeps working for the grace period.'),
  keyExpired: (expiresAt: string | null) =>
    msg(
      'KF-HANDLER-032',
      `Expired${expiresAt ? ` at ${expiresAt}` : ''}: replaced by a new key`,
      'An expired key authenticates nothing and cannot be rotated or revived: apply revokes it and creates a new key (a new secret) under the same declaration. Set expires_at to a later time, or remove it, so the new key is valid.',
    ),
  replacementExpiresInPast: (expiresAt: string) =>
    msg(
      'KF-HANDLER-033',
      `expires_at ${expiresAt} has passed`,
      'The key is replaced because it expired, and its replacement would be expired too: set expires_at to a later time, or remove it.',
    ),
  rotationDueUnderNewSchedule: (since: string) =>
    msg(
      'KF-HANDLER-034',
      `Rotation due since ${since} under the new schedule`,
      'This apply records the new rotation schedule; the next plan (after its refresh) rotates the key. Rotations are decided when Terraform refreshes the key, so a plan and its apply always agree.',
    ),
  secretChangedOutside: (rotatedAt: string | null) =>
    msg(
      'KF-HANDLER-035',
      'The key was rotated outside Terraform',
      `Its secret changed${rotatedAt ? ` at ${rotatedAt}` : ''}, so the value Terraform holds or delivered is no longer the current one. Apply rotates the key again to issue a secret Terraform knows; the previous one keeps working for the grace period.`,
    ),
  orphanInUse: (where: string, id: string, startedAt: string, lastUsedAt: string) =>
    msg(
      'KF-HANDLER-036',
      `${where}: the object a crashed apply created is already in use`,
      `An apply that started creating ${where} at ${startedAt} (in this working directory) died before Terraform saved it; the object it made, ${id}, has been used since ${lastUsedAt}, so keyform will not take it over on its own. If it is this resource's, import it (terraform import <address> ${id}); otherwise revoke it. Then apply again.`,
    ),
  orphanNotRecoverable: (where: string, id: string, startedAt: string) =>
    msg(
      'KF-HANDLER-037',
      `${where}: the secret of the object a crashed apply created cannot be recovered`,
      `An apply that started creating ${where} at ${startedAt} (in this working directory) died before Terraform saved ${id}, and the API no longer replays its response. Import it (terraform import <address> ${id}) if it should be kept, or delete it; then apply again.`,
    ),
  ownerLacks: (where: string, shortfall: readonly string[]) =>
    msg(
      'KF-HANDLER-038',
      shortfall[0] ?? 'owner lacks a permission',
      `${where} asks for more than its owner holds now: ${shortfall.join('; ')}. An authorization never exceeds its owner's permissions, so the API would refuse this change with 403. Restore the owner's role or capability, or declare less (a lower role, fewer capabilities, or remove the grant).`,
    ),
  unmanagedGrantsRemoved: (where: string, grants: readonly string[]) =>
    msg(
      'KF-HANDLER-039',
      `${where}: grants made by hand will be removed`,
      `No keyform resource of this configuration declares ${grants.join(', ')}. The authorization is authoritative over its grants, so apply removes them. Declare them (keyform_project_access, keyform_mcp_server_grant, or grantProject / grantMcpServer) to keep them, or set grants = "additive" on the authorization to leave grants made by hand alone.`,
    ),
  mcpGrantNeedsProjectAccess: (serverId: string, apiMessage: string) =>
    msg(
      'KF-HANDLER-040',
      `MCP server "${serverId}" needs project access first`,
      `${apiMessage} An authorization reaches an MCP server only with the \`mcp\` capability and access to the server's project: add a keyform_project_access for that project (and reference it with depends_on on this grant).`,
    ),
  projectAccessInUse: (projectId: string, apiMessage: string) =>
    msg(
      'KF-HANDLER-041',
      `Project access to "${projectId}" is still needed by an MCP server grant`,
      `${apiMessage} Remove the keyform_mcp_server_grant of that project's servers first (depends_on from the grant to this resource orders it).`,
    ),
  invalidImportId: (typeName: string, expected: string, got: string) =>
    msg('KF-HANDLER-042', `Invalid import id for ${typeName}`, `Expected ${expected}; got "${got}".`),
  apiFailure: (operation: string, where: string, code: string, messages: readonly string[]) =>
    msg('KF-HANDLER-043', `keyform API ${operation} failed for ${where}`, `[${code}] ${messages.join(' ')}`),
} as const;
