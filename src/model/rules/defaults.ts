/**
 * The defaults every layer assumes when a declaration leaves a value out (the constructs document
 * them, the provider plans them, the server applies them, the reports assess with them), and the
 * limits every layer enforces.
 */
import type { KEY_MODES, AUTHORIZATION_KINDS } from '../catalog';

/** Grace period of a rotation whose block sets none: the previous secret works 24 hours more. */
export const DEFAULT_GRACE_PERIOD = '24h';

/** {@link DEFAULT_GRACE_PERIOD} in seconds. */
export const DEFAULT_GRACE_PERIOD_SECONDS = 24 * 3600;

/** Longest grace period a rotation accepts: 30 days (the API refuses more). */
export const MAX_GRACE_PERIOD_SECONDS = 30 * 24 * 3600;

/** Mode of a key or authorization that does not say: test data, never live. */
export const DEFAULT_MODE: (typeof KEY_MODES)[number] = 'test';

/** Kind of an authorization that does not say. */
export const DEFAULT_AUTHORIZATION_KIND: (typeof AUTHORIZATION_KINDS)[number] = 'oauth2';

/** The longest name of a key or authorization, in characters (code points). */
export const MAX_NAME_LENGTH = 200;

/** The longest description, in characters (code points). */
export const MAX_DESCRIPTION_LENGTH = 1000;
