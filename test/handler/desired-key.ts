import type { DesiredApiKey } from '../../src/handler';

/** A plain declared key of the default merchant: secret, test mode, one read scope, no rotation. */
export const desired = (name: string): DesiredApiKey => ({
  mid: 'mid_123456',
  name,
  type: 'secret',
  mode: 'test',
  scopes: ['customers:read'],
  description: null,
  expiresAt: null,
  rotation: null,
});
