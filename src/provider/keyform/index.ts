/** keyform's Terraform provider definition (served by the generic runtime in ../plugin). */
export { keyformProvider } from './provider';
export type { KeyformContext } from './context';
export { resolveSettings, PROVIDER_SCHEMA } from './provider-config';
export { planApiKey, DEFAULT_GRACE_PERIOD } from './api-key-resource';
