/**
 * `keyform rotation-report`: which API keys are due, overdue or healthy for rotation, from a
 * Terraform state or from the Key Management API. Also home of the duration format.
 */
export * from './duration';
export * from './schedule';
export * from './state-keys';
export * from './render-report';
export * from './messages';
export { loadApiKeys, mergeWithState, keyFromApi } from './api-keys';
export type { ApiSource } from '../client/api-source';
export * from './report-inputs';
export { runRotationReport } from './run-report';
export type { RotationReportOptions, RotationReportOutput } from './run-report';
