/**
 * The plugin runtime's definition contract (`plugin/framework.ts`), where keyform's provider
 * definition and its tests import it from.
 */
export * from './plugin/framework';
