/** Every message `keyform adopt` shows a user, each with a stable code and a fix. */
import { CodedError } from '../message-catalog';

/** A user-facing failure of `keyform adopt`; nothing was written when it is thrown. */
export class AdoptError extends CodedError {}

/** The command's messages. */
export const adoptMessages = {
  noEndpoint: () => new AdoptError('KF-ADOPT-001', 'No endpoint: set KEYFORM_ENDPOINT to the base URL of the Key Management API, e.g. https://keys.example.com.'),
  noCredentials: () =>
    new AdoptError(
      'KF-ADOPT-002',
      'No credentials: set KEYFORM_CLIENT_ID and KEYFORM_CLIENT_SECRET, or KEYFORM_TOKEN (they need api_keys:read and authorizations:read), the same variables the provider reads.',
    ),
  badClient: (detail: string) => new AdoptError('KF-ADOPT-003', `Invalid client settings: ${detail}. Check KEYFORM_ENDPOINT and the credentials.`),
  apiFailed: (what: string, detail: string) =>
    new AdoptError('KF-ADOPT-004', `Listing ${what} failed: ${detail}. Check KEYFORM_ENDPOINT and that the credentials hold api_keys:read and authorizations:read.`),
  badFormat: (format: string) => new AdoptError('KF-ADOPT-005', `Unknown --format "${format}". Use hcl (a Terraform configuration) or ts (a CDKTF app).`),
  outNotEmpty: (dir: string, files: string[]) =>
    new AdoptError(
      'KF-ADOPT-006',
      `${dir} already holds ${files.slice(0, 3).join(', ')}${files.length > 3 ? ' and more' : ''}: adopt writes a new configuration. Choose an empty directory, or pass --force to overwrite those files.`,
    ),
  badMid: (mid: string) => new AdoptError('KF-ADOPT-007', `Invalid --mid "${mid}": use a merchant id such as mid_123456 (letters, digits, _ and -).`),
  badExclude: (pattern: string) => new AdoptError('KF-ADOPT-008', `Invalid --exclude "${pattern}": use an object id (key_…, an authorization id) or a name pattern where * matches anything.`),
} as const;
