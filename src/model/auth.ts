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
