/**
 * Type brands that work across package copies. An app can hold two copies of keyform (two versions
 * in node_modules, or a library built against one copy and an app against another), where
 * `instanceof` answers false for a construct of the other copy and the credential policy would then
 * skip it silently. Each keyform construct carries `Symbol.for('keyform/<Type>')`, which every copy
 * (and both CDK lines) shares through the global symbol registry.
 */

/** The construct types that carry a brand. */
export type BrandedType = 'KeyformProvider' | 'ApiKey' | 'OAuthAuthorization' | 'ProjectAccess' | 'McpServerGrant' | 'KeyformAccessToken';

const symbolOf = (type: BrandedType): symbol => Symbol.for(`keyform/${type}`);

/** Marks `target` as a keyform construct of `type` (non-enumerable, read-only). */
export function brand(target: object, type: BrandedType): void {
  Object.defineProperty(target, symbolOf(type), { value: true, enumerable: false, writable: false });
}

/** Whether `x` is a keyform construct of `type`, from any copy of keyform. */
export function hasBrand(x: unknown, type: BrandedType): boolean {
  return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[symbolOf(type)] === true;
}
