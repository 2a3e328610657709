/** The zod model of API keys: types, modes, the create/update bodies and the key object the API returns. */
import { z } from 'zod';
import { ALL_SCOPES, KEY_MODES, KEY_TYPES } from './catalog';
import { Actor } from './audit';
import { Metadata, MetadataPatch, Timestamp, byRule, page, timestampOf } from './common';
import { choiceApiMessage } from './rules/choice';
import { MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH } from './rules/defaults';
import { descriptionRule, nameRule } from './rules/name';
import { gracePeriodSecondsRule } from './rules/rotation';
import { scopesRule } from './rules/scopes';

/** API key type: `secret`, `public` or `tokenization` (seed 004). */
export const ApiKeyType = z.enum(KEY_TYPES, { error: choiceApiMessage('type', KEY_TYPES) });
/** API key type. */
export type ApiKeyType = z.infer<typeof ApiKeyType>;

/** API key mode: `test` (default) or `live`. */
export const ApiKeyMode = z.enum(KEY_MODES, { error: choiceApiMessage('mode', KEY_MODES) });
/** API key mode. */
export type ApiKeyMode = z.infer<typeof ApiKeyMode>;

/** One scope from the catalog, `resource:read` or `resource:write`. */
export const Scope = z.enum(ALL_SCOPES as [string, ...string[]], { error: 'Invalid scope value.' });

/**
 * A list of distinct scopes of the catalog (the rulebook's scopes rule); an empty list means full
 * access to the merchant (seed 000).
 */
export const ScopeList = z
  .array(z.string({ error: 'Invalid scope value.' }).meta({ enum: [...ALL_SCOPES] }), { error: 'Invalid scopes value: must be an array of scope strings.' })
  .max(ALL_SCOPES.length, { error: 'Invalid scopes value: too many scopes.' })
  .superRefine(byRule(scopesRule));

/**
 * A key or authorization name (the rulebook's name rule): not blank, at most 200 characters, no `<`
 * or `>` (seed 004's `^[^<>]*$`), no control characters.
 */
export const Name = z
  .string({ error: 'Invalid name value: must be a string.' })
  .superRefine(byRule(nameRule))
  .meta({ maxLength: MAX_NAME_LENGTH, pattern: '^[^<>]*[^<>\\s][^<>]*$' });

/** A merchant id, such as `mid_123456`. */
export const Mid = z
  .string({ error: 'Invalid mid value: must be a string.' })
  .min(1, { error: 'Invalid mid value: must not be empty.' })
  .max(64, { error: 'Invalid mid value: at most 64 characters.' })
  .regex(/^[A-Za-z0-9_-]+$/, { error: 'Invalid mid value: use letters, digits, _ and - only.' });

/** Description of a key (the rulebook's description rule: at most 1000 characters, no control characters but line breaks and tabs). */
export const Description = z
  .string({ error: 'Invalid description value: must be a string.' })
  .superRefine(byRule(descriptionRule))
  .meta({ maxLength: MAX_DESCRIPTION_LENGTH });

/** Request body of `POST /v1/api-keys`. Field order is the order of error messages. */
export const CreateApiKeyRequest = z
  .strictObject({
    mid: Mid,
    name: Name,
    scopes: ScopeList.optional(),
    type: ApiKeyType,
    mode: ApiKeyMode.optional(),
    description: Description.nullable().optional(),
    expires_at: timestampOf('expires_at').nullable().optional(),
    metadata: Metadata.optional(),
  })
  .meta({ id: 'CreateApiKeyRequest' });
/** Request body of `POST /v1/api-keys`. */
export type CreateApiKeyRequest = z.infer<typeof CreateApiKeyRequest>;

/**
 * Request body of `PATCH /v1/api-keys/{id}`; `type` and `mode` are immutable. `metadata` is a JSON
 * merge patch (RFC 7396): given keys are set, keys set to null are removed, others are kept; null
 * removes all.
 */
export const UpdateApiKeyRequest = z
  .strictObject({
    name: Name.optional(),
    description: Description.nullable().optional(),
    scopes: ScopeList.optional(),
    expires_at: timestampOf('expires_at').nullable().optional(),
    metadata: MetadataPatch.nullable().optional(),
  })
  .meta({ id: 'UpdateApiKeyRequest' });
/** Request body of `PATCH /v1/api-keys/{id}`. */
export type UpdateApiKeyRequest = z.infer<typeof UpdateApiKeyRequest>;

/** Status of a key. */
export const ApiKeyStatus = z.enum(['active', 'expired', 'revoked']);

/** An API key as stored: never its value. */
export const ApiKey = z
  .object({
    id: z.string(),
    object: z.literal('api_key'),
    mid: z.string(),
    name: z.string(),
    type: ApiKeyType,
    mode: ApiKeyMode,
    scopes: z.array(z.string()),
    description: z.string().nullable(),
    expires_at: Timestamp.nullable(),
    metadata: z.record(z.string(), z.string()),
    /** The type/mode prefix of the value, e.g. `fsk_test_`. */
    prefix: z.string(),
    /** Last four characters of the current value. */
    last4: z.string(),
    /** `sha256:` and 16 hex digits identifying the current value without revealing it. */
    fingerprint: z.string(),
    /** 1 on creation, incremented by every rotation. */
    version: z.number().int(),
    status: ApiKeyStatus,
    created_at: Timestamp,
    updated_at: Timestamp,
    rotated_at: Timestamp.nullable(),
    revoked_at: Timestamp.nullable(),
    /** When the value replaced by the last rotation stops authenticating, if it still does. */
    previous_expires_at: Timestamp.nullable(),
    /** When the key last authenticated a request. */
    last_used_at: Timestamp.nullable(),
    /** The credential that created the key (null for keys created before this was recorded). */
    created_by: Actor.nullable().optional(),
  })
  .meta({ id: 'ApiKey', description: 'An API key. Its value is never returned after creation or rotation.' });
/** An API key without its value. */
export type ApiKey = z.infer<typeof ApiKey>;

/** The response of create and rotate: the key with its value, shown this once. */
export const ApiKeyWithValue = ApiKey.extend({ value: z.string() }).meta({
  id: 'ApiKeyWithValue',
  description: 'The key with its secret value. The value is only returned by create and rotate.',
});
/** An API key with its value. */
export type ApiKeyWithValue = z.infer<typeof ApiKeyWithValue>;

/** Request body of `POST /v1/api-keys/{id}/rotate`. */
export const RotateApiKeyRequest = z
  .strictObject({
    grace_period_seconds: z
      .number({ error: 'Invalid grace_period_seconds value: must be a number of seconds.' })
      .int({ error: 'Invalid grace_period_seconds value: must be a whole number of seconds.' })
      .superRefine(byRule((v: number) => gracePeriodSecondsRule('grace_period_seconds', v)))
      .optional(),
  })
  .meta({ id: 'RotateApiKeyRequest' });
/** Request body of a rotation. */
export type RotateApiKeyRequest = z.infer<typeof RotateApiKeyRequest>;

/** Query of `GET /v1/api-keys`. */
export const ListApiKeysQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().max(200).optional(),
  mid: Mid.optional(),
  mode: ApiKeyMode.optional(),
  name: z.string().max(200).optional(),
  status: ApiKeyStatus.optional(),
});
/** Query of `GET /v1/api-keys`. */
export type ListApiKeysQuery = z.infer<typeof ListApiKeysQuery>;

/** Query of `DELETE /v1/api-keys/{id}`: `cascade=true` also revokes every key the key minted, transitively. */
export const RevokeApiKeyQuery = z.strictObject({
  cascade: z.enum(['true', 'false'], { error: 'Invalid cascade value: use true or false.' }).optional(),
});
/** Query of a revocation. */
export type RevokeApiKeyQuery = z.infer<typeof RevokeApiKeyQuery>;

/** A page of API keys. */
export const ApiKeyPage = page(ApiKey).meta({ id: 'ApiKeyPage' });
/** A page of API keys. */
export type ApiKeyPage = z.infer<typeof ApiKeyPage>;

/** One request made with a key (seed 003's per-key request log). */
export const RequestLogEntry = z
  .object({
    id: z.string(),
    key_id: z.string(),
    method: z.string(),
    path: z.string(),
    status: z.number().int(),
    /** The first error message when the request failed, else null. */
    error: z.string().nullable(),
    created_at: Timestamp,
  })
  .meta({ id: 'RequestLogEntry' });
/** One request made with a key. */
export type RequestLogEntry = z.infer<typeof RequestLogEntry>;

/** A page of a key's request log. */
export const RequestLogPage = page(RequestLogEntry).meta({ id: 'RequestLogPage' });
/** A page of a key's request log. */
export type RequestLogPage = z.infer<typeof RequestLogPage>;
