/**
 * `keyform adopt`: brings an account made by hand under code — a Terraform configuration or a CDKTF
 * app with an import for every key, authorization and grant, so the first plan only imports.
 */
export * from './addresses';
export * from './adoption';
export * from './escape';
export * from './inventory';
export * from './messages';
export * from './render-hcl';
export * from './render-ts';
export { runAdopt, ADOPT_FORMATS } from './run-adopt';
export type { AdoptOptions, AdoptResult } from './run-adopt';
