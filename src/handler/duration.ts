/**
 * The rulebook's time rules as the handler and the provider use them (rotation blocks, delivery
 * timeouts, key expiry): one `parseDuration` (whole seconds or undefined), one RFC 3339 check.
 */
export { isTimestamp, parseDuration, sameInstant } from '../model/rules';
