/**
 * The end of an access token's life: `POST /oauth2/revoke` (RFC 7009) and `POST /oauth2/renew`. Both
 * authenticate the OAuth client the token was issued to and act only on that client's tokens: a
 * leaked token alone can neither be kept alive nor used to probe others. Revocation answers 200 for
 * unknown, expired and other clients' tokens alike (RFC 7009 2.2), so it reveals nothing. Renewal
 * extends a live token by the server's token lifetime; the same client could mint a new token, so a
 * renewal grants nothing it does not already hold, and it never revives an expired or revoked token.
 */
import { authenticateAuthorizationClient } from './authorizations';
import { ApiError, type RouteContext, type RouteResult } from './context';
import { MESSAGES } from './messages';
import { hashSecret } from './secrets';

/** Whose tokens a lifecycle call may touch: an OAuth client's, or an `oauth2` authorization's. */
type TokenOwner = { table: 'access_tokens'; column: 'client_id'; id: string } | { table: 'authorization_tokens'; column: 'authorization_id'; id: string };

/** The authenticated client, or the 401 of `POST /oauth2/token`. */
async function authenticateClient(ctx: RouteContext): Promise<TokenOwner> {
  const b = ctx.body as { client_id: string; client_secret: string };
  const authorizationId = await authenticateAuthorizationClient(ctx, b.client_id, b.client_secret);
  if (authorizationId) return { table: 'authorization_tokens', column: 'authorization_id', id: authorizationId };
  const client = (await ctx.db.one('SELECT client_id, secret_hash FROM oauth_clients WHERE client_id = ?', [b.client_id])) as
    | { client_id: string; secret_hash: string }
    | undefined;
  if (!client || client.secret_hash !== hashSecret(b.client_secret)) throw new ApiError(401, [MESSAGES.INVALID_CLIENT()]);
  return { table: 'access_tokens', column: 'client_id', id: client.client_id };
}

/** `POST /oauth2/revoke`: the token stops authenticating at once. */
export async function revokeToken(ctx: RouteContext): Promise<RouteResult> {
  const owner = await authenticateClient(ctx);
  const { token } = ctx.body as { token: string };
  await ctx.db.run(`DELETE FROM ${owner.table} WHERE token_hash = ? AND ${owner.column} = ?`, [hashSecret(token), owner.id]);
  return { status: 200 };
}

/** `POST /oauth2/renew`: a live token of this client expires one token lifetime from now. */
export async function renewToken(ctx: RouteContext): Promise<RouteResult> {
  const owner = await authenticateClient(ctx);
  const { token } = ctx.body as { token: string };
  const ttl = ctx.state.tokenTtlSeconds;
  const changed = (await ctx.db.run(`UPDATE ${owner.table} SET expires_at_ms = ? WHERE token_hash = ? AND ${owner.column} = ? AND expires_at_ms > ?`, [ctx.now + ttl * 1000, hashSecret(token), owner.id, ctx.now])).changes;
  if (changed !== 1) throw new ApiError(400, [MESSAGES.TOKEN_NOT_RENEWABLE()]);
  return { status: 200, body: { expires_in: ttl } };
}
