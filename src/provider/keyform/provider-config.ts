/**
 * The keyform provider block: `endpoint`, `token`, `client_id`/`client_secret`, `mid`, `allow_live`,
 * each falling back to its KEYFORM_* environment variable.
 */
import type { BlockSchema, TfObject } from '../framework';
import { MESSAGES } from '../../handler/messages';
import { bool, fail, str } from './values';

/** Schema of the provider block. */
export const PROVIDER_SCHEMA: BlockSchema = {
  description: 'keyform: credentials as code against a Key Management API.',
  attributes: {
    endpoint: { type: 'string', optional: true, description: 'Base URL of the Key Management API. Env: KEYFORM_ENDPOINT.' },
    token: { type: 'string', optional: true, sensitive: true, description: 'A bearer token or API key. Env: KEYFORM_TOKEN.' },
    client_id: { type: 'string', optional: true, description: 'OAuth client id (client credentials). Env: KEYFORM_CLIENT_ID.' },
    client_secret: { type: 'string', optional: true, sensitive: true, description: 'OAuth client secret. Env: KEYFORM_CLIENT_SECRET.' },
    mid: { type: 'string', optional: true, description: 'Default merchant of keys that do not set mid. Env: KEYFORM_MID.' },
    allow_live: { type: 'bool', optional: true, description: 'Allow keys with mode = "live" (default false). Env: KEYFORM_ALLOW_LIVE.' },
  },
};

/** The resolved provider settings. */
export interface ProviderSettings {
  readonly endpoint: string;
  readonly token?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly mid: string | null;
  readonly allowLive: boolean;
}

/** Resolves the provider block against the environment; throws a diagnostic naming what is missing. */
export function resolveSettings(config: TfObject, env: NodeJS.ProcessEnv = process.env): ProviderSettings {
  const pick = (attr: string, name: string) => str(config[attr]) || env[name] || undefined;
  const endpoint = pick('endpoint', 'KEYFORM_ENDPOINT');
  if (!endpoint) fail(MESSAGES.missingEndpoint(), ['endpoint']);
  if (!/^https?:\/\/[^/]/.test(endpoint)) fail(MESSAGES.invalidEndpoint(endpoint), ['endpoint']);
  let allowLive = bool(config.allow_live);
  if (allowLive === undefined && env.KEYFORM_ALLOW_LIVE !== undefined && env.KEYFORM_ALLOW_LIVE !== '') {
    const raw = env.KEYFORM_ALLOW_LIVE.trim().toLowerCase();
    if (raw === 'true' || raw === '1') allowLive = true;
    else if (raw === 'false' || raw === '0') allowLive = false;
    else fail(MESSAGES.invalidAllowLive(env.KEYFORM_ALLOW_LIVE), ['allow_live']);
  }
  const mid = pick('mid', 'KEYFORM_MID') ?? null;
  // A token in the provider block wins over client credentials from the environment; otherwise client
  // credentials (block or environment) win over a token, as in the client's own environment handling.
  const cfgToken = str(config.token) || undefined;
  const clientId = str(config.client_id) || (cfgToken ? undefined : env.KEYFORM_CLIENT_ID) || undefined;
  const clientSecret = str(config.client_secret) || (cfgToken ? undefined : env.KEYFORM_CLIENT_SECRET) || undefined;
  if (clientId || clientSecret) {
    if (!clientId) fail(MESSAGES.halfClientCredentials('client_id'), ['client_id']);
    if (!clientSecret) fail(MESSAGES.halfClientCredentials('client_secret'), ['client_secret']);
    return { endpoint, clientId, clientSecret, mid, allowLive: allowLive ?? false };
  }
  const token = cfgToken || env.KEYFORM_TOKEN || undefined;
  if (!token) fail(MESSAGES.missingCredentials(), ['token']);
  return { endpoint, token, mid, allowLive: allowLive ?? false };
}
