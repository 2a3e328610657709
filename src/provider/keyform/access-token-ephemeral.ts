/**
 * `ephemeral "keyform_access_token"`: a short-lived bearer obtained with client credentials (its own
 * `client_id`/`client_secret`, else the provider's) for one Terraform run. Terraform keeps it in
 * memory only: never in state, a plan file or a log. While the run needs it, it is renewed at half
 * its remaining lifetime (`POST /oauth2/renew`, so the same bearer keeps working through a long
 * apply); when the run is done it is revoked (`POST /oauth2/revoke`), or, if revocation fails, left
 * to expire with a warning. A provider configured with `token` has no client credentials to lend.
 *
 * The API client loads on the first open, not with the provider definition.
 */
import type { KeyformClient } from '../../client';
import { PROVIDER_RETRY } from '../../handler/api-limits';
import { codedMessage } from '../../message-catalog';
import { VERSION } from '../../version';
import { DiagnosticError, type CallContext, type Diagnostic, type EphemeralResourceDefinition, type TfObject } from '../framework';
import { configuredProvider, type KeyformContext } from './context';
import { fail, str } from './values';

const msg = codedMessage;

/** The user-facing messages of keyform_access_token; none carries a credential. */
export const ACCESS_TOKEN_MESSAGES = {
  noClientCredentials: () =>
    msg(
      'KF-TOKEN-001',
      'keyform_access_token needs client credentials',
      'Set `client_id` and `client_secret` on the ephemeral resource, or configure the keyform provider with `client_id`/`client_secret` (KEYFORM_CLIENT_ID/KEYFORM_CLIENT_SECRET). A provider configured with `token` cannot mint tokens.',
    ),
  halfCredentials: (missing: 'client_id' | 'client_secret') =>
    msg('KF-TOKEN-002', `Missing ${missing}`, `\`client_id\` and \`client_secret\` go together: set \`${missing}\` too, or set neither to use the provider's own client credentials.`),
  openFailed: (why: string) => msg('KF-TOKEN-003', 'Could not obtain an access token', `${why} Check the client credentials and the provider endpoint.`),
  renewFailed: (why: string) =>
    msg('KF-TOKEN-004', 'Could not renew the access token', `${why} The token expires at its current expiry; rerun the command to obtain a new one.`),
  leftToExpire: (expiresAt: string, why: string) =>
    msg('KF-TOKEN-005', 'The access token could not be revoked and is left to expire', `${why} It stops working at ${expiresAt} at the latest.`),
};

/** What Terraform hands back to renew and close (in memory, for this run only). */
interface TokenPrivate {
  /** The bearer. */
  readonly token: string;
  readonly clientId: string;
  /** Set only when the resource named its own client; otherwise the provider's secret is used. */
  readonly clientSecret?: string;
  /** Current expiry, ISO 8601. */
  readonly expiresAt: string;
}

type Creds = { clientId: string; clientSecret: string };

function credentials(config: TfObject, k: KeyformContext): Creds & { own: boolean } {
  const id = str(config.client_id);
  const secret = str(config.client_secret);
  if (id && secret) return { clientId: id, clientSecret: secret, own: true };
  if (id || secret) fail(ACCESS_TOKEN_MESSAGES.halfCredentials(id ? 'client_secret' : 'client_id'), [id ? 'client_secret' : 'client_id']);
  if (!k.settings.clientId || !k.settings.clientSecret) fail(ACCESS_TOKEN_MESSAGES.noClientCredentials());
  return { clientId: k.settings.clientId, clientSecret: k.settings.clientSecret, own: false };
}

async function withClient<T>(k: KeyformContext, op: (c: KeyformClient) => Promise<T>): Promise<T> {
  const { KeyformClient } = await import('../../client');
  // No credentials of its own: the token routes authenticate the client in the request body.
  const client = new KeyformClient({ endpoint: k.settings.endpoint, userAgent: `terraform-provider-keyform/${VERSION}`, retry: PROVIDER_RETRY });
  try {
    return await op(client);
  } finally {
    await client.close();
  }
}

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));
/** Renew at half the remaining lifetime: a renewal that fails or runs late still has the other half. */
const renewTime = (now: number, expiresInSeconds: number) => new Date(now + (expiresInSeconds * 1000) / 2);
const readPrivate = (data: Uint8Array | undefined): TokenPrivate => JSON.parse(Buffer.from(data ?? []).toString('utf8')) as TokenPrivate;
const writePrivate = (p: TokenPrivate): Uint8Array => Buffer.from(JSON.stringify(p), 'utf8');

function secretOf(p: TokenPrivate, ctx: CallContext<KeyformContext>): string {
  return p.clientSecret ?? configuredProvider(ctx).settings.clientSecret ?? '';
}

/** The `keyform_access_token` ephemeral resource. */
export const accessTokenEphemeral: EphemeralResourceDefinition<KeyformContext> = {
  schema: {
    description:
      'A short-lived bearer token for one Terraform run, obtained with client credentials, renewed while the run needs it and revoked when it ends. Never stored in state or plan. Use it to configure another provider, for example an aliased keyform provider with `token`.',
    attributes: {
      client_id: { type: 'string', optional: true, computed: true, description: "OAuth client that obtains the token; defaults to the provider's client_id (KEYFORM_CLIENT_ID)." },
      client_secret: { type: 'string', optional: true, sensitive: true, description: "Secret of client_id; defaults to the provider's client_secret. Set both or neither." },
      access_token: { type: 'string', computed: true, sensitive: true, description: 'The bearer token.' },
      expires_at: { type: 'string', computed: true, description: 'When the token expires unless renewed (RFC 3339); renewals push the server-side expiry forward while the run lasts.' },
    },
  },

  validate(config) {
    const diags: Diagnostic[] = [];
    const set = (v: unknown) => v !== null && v !== undefined;
    if (set(config.client_id) !== set(config.client_secret)) {
      const missing = set(config.client_id) ? 'client_secret' : 'client_id';
      const m = ACCESS_TOKEN_MESSAGES.halfCredentials(missing);
      diags.push({ severity: 'error', summary: m.summary, detail: `${m.detail} [${m.code}]`, attribute: [missing] });
    }
    return diags;
  },

  async open({ config }, ctx) {
    const k = configuredProvider(ctx);
    const creds = credentials(config, k);
    const started = Date.now();
    const issued = await withClient(k, (c) =>
      c.createToken({ grant_type: 'client_credentials', client_id: creds.clientId, client_secret: creds.clientSecret }),
    ).catch((err: unknown) => fail(ACCESS_TOKEN_MESSAGES.openFailed(reason(err))));
    const expiresAt = new Date(started + issued.expires_in * 1000).toISOString();
    const result: TfObject = { client_id: creds.clientId, client_secret: config.client_secret ?? null, access_token: issued.access_token, expires_at: expiresAt };
    const priv: TokenPrivate = { token: issued.access_token, clientId: creds.clientId, ...(creds.own ? { clientSecret: creds.clientSecret } : {}), expiresAt };
    return { result, renewAt: renewTime(started, issued.expires_in), privateData: writePrivate(priv) };
  },

  async renew({ privateData }, ctx) {
    const p = readPrivate(privateData);
    const started = Date.now();
    const renewed = await withClient(configuredProvider(ctx), (c) => c.renewToken({ token: p.token, client_id: p.clientId, client_secret: secretOf(p, ctx) })).catch((err: unknown) =>
      fail(ACCESS_TOKEN_MESSAGES.renewFailed(reason(err))),
    );
    const next: TokenPrivate = { ...p, expiresAt: new Date(started + renewed.expires_in * 1000).toISOString() };
    return { renewAt: renewTime(started, renewed.expires_in), privateData: writePrivate(next) };
  },

  async close({ privateData }, ctx) {
    if (!privateData || privateData.length === 0) return;
    const p = readPrivate(privateData);
    try {
      await withClient(configuredProvider(ctx), (c) => c.revokeToken({ token: p.token, token_type_hint: 'access_token', client_id: p.clientId, client_secret: secretOf(p, ctx) }));
    } catch (err) {
      // The run's work is done; a token that outlives it by at most its lifetime is a warning, not a failure.
      const m = ACCESS_TOKEN_MESSAGES.leftToExpire(p.expiresAt, reason(err));
      throw new DiagnosticError([{ severity: 'warning', summary: m.summary, detail: `${m.detail} [${m.code}]` }]);
    }
  },
};
