/** Composite ids of the grant resources: built, parsed (with a named error) and planned in one place. */
import { UNKNOWN, type TfObject } from '../../src/provider/framework';
import { InvalidImportIdError } from '../../src/provider/keyform/composite-id';
import { MCP_SERVER_GRANT_ID, PROJECT_ACCESS_ID } from '../../src/provider/keyform/grant-resources';

describe('parse', () => {
  it.each([
    { reason: 'two non-empty parts', id: 'auth_1/proj_1', parts: { authorization_id: 'auth_1', project_id: 'proj_1' } },
  ])('$reason', ({ id, parts }) => {
    expect(PROJECT_ACCESS_ID.parse(id)).toEqual(parts);
  });

  it.each([
    { reason: 'no separator', id: 'auth_1' },
    { reason: 'an empty second part', id: 'auth_1/' },
    { reason: 'an empty first part', id: '/proj_1' },
    { reason: 'three parts', id: 'auth_1/proj_1/x' },
    { reason: 'nothing', id: '' },
  ])('refuses $reason with InvalidImportIdError naming the type and the expected form', ({ id }) => {
    let err: unknown;
    try {
      PROJECT_ACCESS_ID.parse(id);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidImportIdError);
    const e = err as InvalidImportIdError;
    expect(e.name).toBe('InvalidImportIdError');
    expect(e.diagnostics[0].summary).toBe('Invalid import id for keyform_project_access');
    expect(e.diagnostics[0].detail).toContain('<authorization_id>/<project_id>');
  });
});

describe('of, format and the id plan modifier', () => {
  it('reads the parts from a state and joins them', () => {
    const parts = MCP_SERVER_GRANT_ID.of({ id: null, authorization_id: 'auth_1', mcp_server_id: 'mcp_1' });
    expect(parts).toEqual({ authorization_id: 'auth_1', mcp_server_id: 'mcp_1' });
    expect(MCP_SERVER_GRANT_ID.format(parts)).toBe('auth_1/mcp_1');
  });

  it.each([
    { reason: 'both parts known: the joined id', planned: { authorization_id: 'a', project_id: 'p' }, id: 'a/p' },
    { reason: 'a part known only after apply: unknown', planned: { authorization_id: UNKNOWN, project_id: 'p' }, id: UNKNOWN },
  ])('$reason', ({ planned, id }) => {
    const res = PROJECT_ACCESS_ID.planModifier.modify({
      path: ['id'],
      configValue: null,
      stateValue: null,
      planValue: UNKNOWN,
      prior: null,
      planned: { id: UNKNOWN, ...(planned as TfObject), role: 'viewer' },
      config: null,
      ctx: { provider: undefined, typeName: 'keyform_project_access' },
    });
    expect(res?.planValue).toBe(id);
  });
});
