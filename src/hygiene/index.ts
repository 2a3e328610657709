/**
 * `keyform hygiene`: unused keys and scopes (from real usage), expired and expiring keys, live keys
 * without expiry or rotation, rotations due, and authorizations their owner can no longer back —
 * with the narrower configuration as a diff, and an exit code for scheduled jobs.
 */
export * from './checks';
export * from './facts';
export * from './messages';
export * from './render';
export * from './report';
export * from './sources';
export * from './suggest';
export { runHygiene } from './run-hygiene';
export type { HygieneOptions, HygieneOutput } from './run-hygiene';
