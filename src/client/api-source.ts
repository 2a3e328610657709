/**
 * Where a read-only report (`keyform rotation-report`, `keyform hygiene`) lists the Key Management
 * API from: an endpoint and credentials (flags, else the provider's KEYFORM_* variables), opened into a
 * client whose failures reach the user as the command's own coded errors with every secret removed.
 */
import { redactSecrets } from '../model/redaction';
import { KeyformClient, type KeyformEnv } from './keyform-client';

/** The endpoint and credentials to list with, and the merchant to keep to. */
export interface ApiSource {
  readonly endpoint: string;
  readonly token?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** Only objects of this merchant. */
  readonly mid?: string;
}

/** The credentials of an {@link ApiSource}, as flags give them. */
export type ApiCredentials = Pick<ApiSource, 'token' | 'clientId' | 'clientSecret'>;

/** Flags' credentials, each missing (or empty) one taken from its KEYFORM_* variable. */
export function credentialsWithEnv(flags: ApiCredentials, env: KeyformEnv = process.env): ApiCredentials {
  return {
    token: flags.token || env.KEYFORM_TOKEN || undefined,
    clientId: flags.clientId || env.KEYFORM_CLIENT_ID || undefined,
    clientSecret: flags.clientSecret || env.KEYFORM_CLIENT_SECRET || undefined,
  };
}

/** How a command names the two failures of opening a source. */
export interface ApiSourceErrors {
  /** Neither a token nor both client id and secret. */
  readonly noCredentials: () => Error;
  /** The client settings are invalid (e.g. not an http(s) URL); `detail` has no secret. */
  readonly badSettings: (detail: string) => Error;
}

/** An open source: the client, and the text of any failure with the source's secrets removed. */
export interface OpenApiSource {
  readonly client: KeyformClient;
  /** The message of `e` with the token, the client secret and anything shaped like a secret removed. */
  readonly scrub: (e: unknown) => string;
}

/**
 * Opens a client on `source`. Throws `errors.noCredentials()` without credentials and
 * `errors.badSettings(detail)` when the client refuses its settings; the caller closes the client.
 */
export function openApiSource(source: ApiSource, errors: ApiSourceErrors, connections?: number): OpenApiSource {
  if (!source.token && !(source.clientId && source.clientSecret)) throw errors.noCredentials();
  const known = [source.token ?? '', source.clientSecret ?? ''].filter(Boolean);
  const scrub = (e: unknown) => redactSecrets(e instanceof Error ? e.message : String(e), known);
  try {
    const client = new KeyformClient({
      endpoint: source.endpoint,
      token: source.token,
      clientId: source.clientId,
      clientSecret: source.clientSecret,
      ...(connections ? { connections } : {}),
    });
    return { client, scrub };
  } catch (e) {
    throw errors.badSettings(scrub(e));
  }
}
