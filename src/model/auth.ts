/** The zod model of the OAuth 2.0 token, revoke and renew exchanges. */
import { z } from 'zod';

/** `POST /oauth2/token` body (form-encoded or JSON): the client-credentials grant. */
export const TokenRequest = z
  .strictObject({
    grant_type: z.literal('client_credentials', { error: 'Invalid grant_type value. Use client_credentials.' }),
    client_id: z.string({ error: 'Invalid client_id value.' }).min(1).max(200),
    client_secret: z.string({ error: 'Invalid client_secret value.' }).min(1).max(500),
    scope: z.string().max(2000).optional(),
  })
  .meta({ id: 'TokenRequest' });
/** The token request. */
export type TokenRequest = z.infer<typeof TokenRequest>;

/** A short-lived bearer token (seed 004). */
export const TokenResponse = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    /** Seconds until the token expires. */
    expires_in: z.number().int(),
  })
  .meta({ id: 'TokenResponse' });
/** A token response. */
export type TokenResponse = z.infer<typeof TokenResponse>;

/** Client authentication of the token-management routes: in the body, or HTTP Basic (RFC 6749 2.3.1). */
const ClientAuth = {
  client_id: z.string({ error: 'Invalid client_id value.' }).min(1).max(200),
  client_secret: z.string({ error: 'Invalid client_secret value.' }).min(1).max(500),
};
const TokenField = z.string({ error: 'Missing required field: token.' }).min(1, { error: 'Missing required field: token.' }).max(500);

/** `POST /oauth2/revoke` body (RFC 7009): the token to revoke, authenticated by the client it was issued to. */
export const TokenRevokeRequest = z
  .strictObject({
    token: TokenField,
    token_type_hint: z.enum(['access_token'], { error: 'Invalid token_type_hint value. Use access_token.' }).optional(),
    ...ClientAuth,
  })
  .meta({ id: 'TokenRevokeRequest' });
/** A revocation request. */
export type TokenRevokeRequest = z.infer<typeof TokenRevokeRequest>;

/**
 * `POST /oauth2/renew` body: extend a live access token by the token lifetime, authenticated by the
 * client it was issued to (which could mint a new token anyway, so a renewal grants nothing more).
 */
export const TokenRenewRequest = z.strictObject({ token: TokenField, ...ClientAuth }).meta({ id: 'TokenRenewRequest' });
/** A renewal request. */
export type TokenRenewRequest = z.infer<typeof TokenRenewRequest>;

/** A renewed token's new lifetime. */
export const TokenRenewResponse = z
  .object({
    /** Seconds from now until the token expires. */
    expires_in: z.number().int(),
  })
  .meta({ id: 'TokenRenewResponse' });
/** A renewal response. */
export type TokenRenewResponse = z.infer<typeof TokenRenewResponse>;
