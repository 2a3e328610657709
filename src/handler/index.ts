/** The handler: per kind of credential, observe → pure diff → idempotent apply. */
export * from './api';
export * from './api-key';
export * from './api-limits';
export * from './authorization';
export * from './concurrency';
export * from './crash-safe-create';
export * from './create-journal';
export * from './diff';
export * from './duration';
export * from './errors';
export * from './grants';
export * from './messages';
export * from './object-handler';
export * from './owner-permissions';
export * from './read-cache';
export * from './secret-delivery';
export * from './validation';
