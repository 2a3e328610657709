import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ALL_SCOPES,
  CreateApiKeyRequest,
  CreateAuthorizationRequest,
  ROUTES,
  buildOpenApi,
  parseKeyPrefix,
  scopeSatisfies,
  validate,
} from '../../src/model';
import { VERSION } from '../../src/version';

describe('CreateApiKeyRequest', () => {
  const seed004 = { mid: 'mid_123456', name: 'My API Key', scopes: ['customers:read', 'charges:read'], type: 'secret' };

  it.each([
    { reason: 'seed 004 example body is valid', body: seed004, errors: undefined },
    {
      reason: 'seed 004 error example: bogus scope and missing type, one message each, in field order',
      body: { mid: 'mid_123456', name: 'My API Key', scopes: ['customers:read', 'bogus'] },
      errors: ['Invalid scope value.', 'Missing required field: type.'],
    },
    { reason: 'name with < or > is refused (seed 004 regex)', body: { ...seed004, name: 'a<b>' }, errors: ['Invalid name value: must not contain < or >.'] },
    { reason: 'unknown fields are named', body: { ...seed004, colour: 'red' }, errors: ['Unknown field: colour.'] },
    { reason: 'a wrong type is not reported as missing', body: { ...seed004, mid: 5 }, errors: ['Invalid mid value: must be a string.'] },
    { reason: 'duplicate scopes are refused', body: { ...seed004, scopes: ['charges:read', 'charges:read'] }, errors: ['Invalid scopes value: each scope may appear only once.'] },
    { reason: 'unknown mode names the choices', body: { ...seed004, mode: 'prod' }, errors: ['Invalid mode value. Use one of: test, live.'] },
    { reason: 'a non-object body', body: null, errors: ['Invalid request body: expected a JSON object.'] },
  ])('$reason', ({ body, errors }) => {
    const result = validate(CreateApiKeyRequest, body);
    if (errors) expect(result).toEqual({ ok: false, errors });
    else expect(result.ok).toBe(true);
  });
});

describe('CreateAuthorizationRequest', () => {
  it('names nested fields with their index', () => {
    const result = validate(CreateAuthorizationRequest, {
      name: 'claude-code',
      kind: 'oauth2',
      owner_id: 'usr_1',
      project_access: [{ project_id: 'proj_a', role: 'owner' }],
    });
    expect(result).toEqual({ ok: false, errors: ['Invalid role value. Use one of: viewer, editor, admin.'] });
  });
});

describe('catalog', () => {
  it.each([
    { reason: 'exact scope', held: ['refunds:read'], required: 'refunds:read', ok: true },
    { reason: 'write implies read', held: ['refunds:write'], required: 'refunds:read', ok: true },
    { reason: 'read does not imply write', held: ['refunds:read'], required: 'refunds:write', ok: false },
    { reason: 'other resource', held: ['charges:write'], required: 'refunds:read', ok: false },
  ])('scopeSatisfies: $reason', ({ held, required, ok }) => {
    expect(scopeSatisfies(held, required)).toBe(ok);
  });

  it('holds the scopes the seeds name', () => {
    for (const s of ['products:read', 'prices:write', 'customers:read', 'checkout_sessions:write', 'payment_intents:read', 'refunds:write', 'coupons:read', 'captures:read', 'promo_codes:write', 'charges:read']) {
      expect(ALL_SCOPES).toContain(s);
    }
  });

  it.each([
    { value: 'fsk_test_abc', type: 'secret', mode: 'test' },
    { value: 'fsk_abc', type: 'secret', mode: 'live' },
    { value: 'fpk_test_abc', type: 'public', mode: 'test' },
    { value: 'ftk_abc', type: 'tokenization', mode: 'live' },
  ])('the prefix of $value encodes $type/$mode (seed 001)', ({ value, type, mode }) => {
    expect(parseKeyPrefix(value)).toMatchObject({ type, mode });
  });
});

describe('OpenAPI document', () => {
  it('describes every route', () => {
    const doc = buildOpenApi(VERSION) as { paths: Record<string, Record<string, { operationId: string }>> };
    for (const r of ROUTES) expect(doc.paths[r.path][r.method.toLowerCase()].operationId).toBe(r.id);
  });

  it('is committed up to date in docs/openapi.json (regenerate with `npm run openapi`)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '../../docs/openapi.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(buildOpenApi(VERSION))));
  });
});
