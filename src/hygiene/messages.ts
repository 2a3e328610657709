/** Every message `keyform hygiene` shows a user, each with a stable code and a fix. */
import { CodedError } from '../message-catalog';

/** A user-facing failure of `keyform hygiene`. */
export class HygieneError extends CodedError {}

/** Exit code when the report has findings (a scheduled job fails on it). */
export const EXIT_FINDINGS = 2;

/** The command's messages. */
export const hygieneMessages = {
  noSource: () =>
    new HygieneError(
      'KF-HYGIENE-001',
      'Nothing to inspect: pass --endpoint <url> (or set KEYFORM_ENDPOINT) for usage, and/or --state <file> or --dir <dir> for declared keys.',
    ),
  badFormat: (format: string) => new HygieneError('KF-HYGIENE-002', `Unknown --format "${format}". Use text, markdown or json.`),
  badDuration: (flag: string, detail: string) => new HygieneError('KF-HYGIENE-003', `Invalid ${flag}: ${detail}`),
  endpointNeedsCredentials: () =>
    new HygieneError('KF-HYGIENE-004', 'With an endpoint, set KEYFORM_CLIENT_ID and KEYFORM_CLIENT_SECRET or KEYFORM_TOKEN (or pass --client-id/--client-secret or --token).'),
  apiFailed: (what: string, detail: string) =>
    new HygieneError('KF-HYGIENE-005', `Reading ${what} failed: ${detail}. Check the endpoint and that the credentials hold api_keys:read, authorizations:read and request_logs:read.`),
  badNow: (text: string) => new HygieneError('KF-HYGIENE-006', `Invalid --now "${text}": use an RFC 3339 time such as 2030-01-31T00:00:00Z.`),
  badState: (where: string, why: string) =>
    new HygieneError('KF-HYGIENE-007', `Cannot read the state of ${where}: ${why}. Pass terraform.tfstate or \`terraform show -json > state.json\` with --state, or run it after \`terraform init\`.`),
  noStack: (dir: string) =>
    new HygieneError(
      'KF-HYGIENE-008',
      `"${dir}" is not a Terraform working directory and holds none: pass a directory with *.tf or *.tf.json files (or a state), a state file, or a directory whose subdirectories are stacks.`,
    ),
  declaredTwice: (what: string, id: string, stacks: readonly string[]) =>
    `${what} ${id} is declared in ${stacks.length} stacks (${stacks.join(', ')}): each apply may undo the other's change; keep it in one stack and read it elsewhere with a data source`,
  usageUnavailable: () => 'usage by scope unavailable (the credentials lack request_logs:read): unused scopes are not reported',
  ownersUnavailable: () => 'owners unavailable (listing users needs the platform admin client): owner checks are skipped',
} as const;
