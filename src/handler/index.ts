/** The handler: per kind of credential, observe → pure diff → idempotent apply. */
export * from './api';
export * from './api-key';
export * from './authorization';
export * from './crash-safe-create';
export * from './create-journal';
export * from './diff';
export * from './duration';
export * from './errors';
export * from './grants';
export * from './limiter';
export * from './limits';
export * from './messages';
export * from './owner-permissions';
export * from './read-cache';
export * from './secret-delivery';
export * from './validation';
