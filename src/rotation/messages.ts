/**
 * Every message `keyform rotation-report` shows a user, each with a stable code and a fix.
 */
import { CodedError } from '../message-catalog';

/** A user-facing failure of the rotation report. */
export class RotationReportError extends CodedError {}

/** Exit code when a key is due or overdue. */
export const EXIT_ROTATION_DUE = 2;

/** The report's messages. */
export const rotationMessages = {
  stateNotFound: (path: string) =>
    new RotationReportError('KF-ROTATION-001', `State file "${path}" was not found. Pass a raw state (terraform.tfstate), the output of \`terraform show -json\`, or - for stdin.`),
  stateNotJson: (path: string) =>
    new RotationReportError('KF-ROTATION-002', `"${path}" is not JSON. Pass terraform.tfstate or \`terraform show -json > state.json\`.`),
  notAState: (path: string, what: string) =>
    new RotationReportError('KF-ROTATION-003', `"${path}" is ${what}, not a Terraform state. Pass terraform.tfstate or \`terraform show -json > state.json\` (a saved plan goes to \`keyform review\`).`),
  terraformMissing: (bin: string) =>
    new RotationReportError('KF-ROTATION-004', `Could not run "${bin}" to read the current state. Pass --state <file>, --endpoint <url>, or put Terraform on PATH (--terraform <path>).`),
  terraformFailed: (dir: string, detail: string) =>
    new RotationReportError('KF-ROTATION-005', `\`terraform show -json\` failed in ${dir}: ${detail.trim() || 'no output'}. Run it after \`terraform init\`, or pass --state <file>.`),
  badNow: (text: string) =>
    new RotationReportError('KF-ROTATION-006', `Invalid --now "${text}": use an RFC 3339 time such as 2030-01-31T00:00:00Z.`),
  badDuration: (detail: string) => new RotationReportError('KF-ROTATION-007', detail),
  badFormat: (format: string) => new RotationReportError('KF-ROTATION-008', `Unknown --format "${format}". Use text, markdown or json.`),
  endpointNeedsCredentials: () =>
    new RotationReportError('KF-ROTATION-009', 'With --endpoint, pass --token <token> or --client-id/--client-secret (or set KEYFORM_TOKEN, or KEYFORM_CLIENT_ID and KEYFORM_CLIENT_SECRET).'),
  apiFailed: (detail: string) =>
    new RotationReportError('KF-ROTATION-010', `Listing keys from the API failed: ${detail}. Check --endpoint and the credentials (they need the api_keys:read scope).`),
  noStack: (dir: string) =>
    new RotationReportError('KF-ROTATION-011', `"${dir}" is not a Terraform working directory and holds none: pass a directory with *.tf or *.tf.json files (or a state), a state file, or a directory whose subdirectories are stacks.`),
  stdinTwice: () => new RotationReportError('KF-ROTATION-012', 'Only one state can be read from stdin (-): pass the other stacks as files or directories.'),
  dueNotice: (due: number, overdue: number) =>
    `keyform rotation-report: ${due} key${due === 1 ? '' : 's'} due and ${overdue} overdue for rotation (exit 2). Run the scheduled plan and apply to rotate them.`,
} as const;
