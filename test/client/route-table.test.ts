import { ROUTES } from '../../src/model';
import { KeyformClient } from '../../src/client';
import { ROUTE_SCHEMAS } from '../../src/client/route-types';

describe('the client follows the route table', () => {
  it('has a schema entry for exactly the routes of ROUTES', () => {
    expect(Object.keys(ROUTE_SCHEMAS).sort()).toEqual(ROUTES.map((r) => r.id).sort());
  });

  it.each(ROUTES.map((r) => ({ id: r.id, r })))('$id: typed with the very schemas of the route table', ({ id, r }) => {
    const s = ROUTE_SCHEMAS[id as keyof typeof ROUTE_SCHEMAS] as { body?: unknown; response?: unknown };
    expect(s.response).toBe(r.success.body);
    // putMcpServerGrant takes no real body: its schema is an optional empty object.
    if (id !== 'putMcpServerGrant') expect(s.body).toBe(r.body);
  });

  it.each(ROUTES.map((r) => r.id))('has a method named %s', (id) => {
    expect(typeof (KeyformClient.prototype as unknown as Record<string, unknown>)[id]).toBe('function');
  });
});
