/**
 * The rulebook: every rule about what users may declare, written once. Each rule is a pure function
 * returning a verdict (findings with a code, a fix and the API's message); the constructs call them
 * at synth, the provider at validate, and the server through the zod model. Imports no zod, so the
 * jsii constructs can use it.
 */
export * from './finding';
export * from './messages';
export * from './did-you-mean';
export * from './text';
export * from './name';
export * from './scopes';
export * from './capabilities';
export * from './choice';
export * from './timestamp';
export * from './duration';
export * from './rotation';
export * from './delivery';
export * from './defaults';
