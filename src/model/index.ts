/**
 * The zod model of the Key Management API v1: the one source of truth for the server's validation,
 * the client's parsing, the provider's checks and the OpenAPI document.
 */
export * from './catalog';
export * from './common';
export * from './api-key';
export * from './authorization';
export * from './directory';
export * from './auth';
export * from './audit';
export * from './usage';
export * from './scope-usage';
export * from './routes';
export * from './openapi';
export * from './rules';
export * from './redaction';
