/**
 * The typed client of the Key Management API v1, used by the Terraform provider's handler and the CLI.
 */
export * from './keyform-client';
export * from './errors';
export * from './messages';
export * from './retry-policy';
export * from './route-types';
export * from './token-cache';
