import { checkAuthorizationConfig, checkKeyConfig, checkLiveAllowed, parseDuration, scrubSecrets, isTimestamp } from '../../src/handler';

describe('checkKeyConfig', () => {
  it.each([
    { reason: 'seed 004 example is valid', input: { name: 'My API Key', type: 'secret', scopes: ['customers:read', 'charges:read'] }, problems: [] },
    { reason: 'unknown values are not checked yet', input: {}, problems: [] },
    { reason: 'a name with < or > is refused at the name attribute', input: { name: 'a<b>' }, problems: [{ path: ['name'], summary: 'Invalid name' }] },
    { reason: 'an unknown scope is refused at the scopes attribute', input: { scopes: ['customer:read'] }, problems: [{ path: ['scopes'], summary: 'Unknown scope "customer:read"' }] },
    { reason: 'an unknown type names the choices', input: { type: 'private' }, problems: [{ path: ['type'], summary: 'Invalid type' }] },
    { reason: 'a bad expiry is refused', input: { expiresAt: 'tomorrow' }, problems: [{ path: ['expires_at'], summary: 'Invalid expires_at' }] },
    { reason: 'a bad rotation period is refused at rotation.every', input: { rotationEvery: 'quarterly' }, problems: [{ path: ['rotation', 'every'], summary: 'Invalid rotation.every' }] },
    { reason: 'a grace period over 30 days is refused', input: { rotationGrace: '31d' }, problems: [{ path: ['rotation', 'grace_period'], summary: 'Invalid rotation.grace_period' }] },
    { reason: 'a grace period within 30 days is fine', input: { rotationEvery: '90d', rotationGrace: '24h' }, problems: [] },
    { reason: 'a name of spaces is blank (the API refuses it too)', input: { name: '   ' }, problems: [{ path: ['name'], summary: 'Invalid name' }] },
    { reason: 'a 201-character name is refused at validate (the API refuses it too)', input: { name: 'n'.repeat(201) }, problems: [{ path: ['name'], summary: 'Invalid name' }] },
    { reason: 'a description over 1000 characters is refused', input: { description: 'd'.repeat(1001) }, problems: [{ path: ['description'], summary: 'Invalid description' }] },
    { reason: '30 February is not a time', input: { expiresAt: '2030-02-30T00:00:00Z' }, problems: [{ path: ['expires_at'], summary: 'Invalid expires_at' }] },
    { reason: 'file and command together are refused', input: { delivery: { file: '/tmp/x', command: 'cat' } }, problems: [{ path: ['secret_delivery'], summary: 'Invalid secret_delivery' }] },
  ])('$reason', ({ input, problems }) => {
    expect(checkKeyConfig(input).map((p) => ({ path: p.path, summary: p.message.summary }))).toEqual(problems);
  });

  it('suggests the closest scope for a typo', () => {
    const [p] = checkKeyConfig({ scopes: ['custmers:read'] });
    expect(p.message.detail).toContain('Did you mean "customers:read"?');
    expect(p.message.code).toBe('KF-RULE-011');
  });
});

describe('checkAuthorizationConfig', () => {
  it.each([
    { reason: 'apps:admin without apps:view is refused with the prerequisite named', caps: ['apps:admin'], summaries: ['Capability "apps:admin" needs "apps:view"'] },
    { reason: 'apps:admin with apps:view is fine', caps: ['apps:admin', 'apps:view'], summaries: [] },
    { reason: 'an unknown capability is refused', caps: ['root'], summaries: ['Unknown capability "root"'] },
  ])('$reason', ({ caps, summaries }) => {
    expect(checkAuthorizationConfig({ capabilities: caps }).map((p) => p.message.summary)).toEqual(summaries);
  });
});

describe('checkLiveAllowed', () => {
  it('refuses a live credential unless allowed, saying what and how to allow it', () => {
    const [p] = checkLiveAllowed([undefined, 'live'], false, 'create', 'API key "pay"');
    expect(p.path).toEqual(['mode']);
    expect(p.message.code).toBe('KF-HANDLER-019');
    expect(p.message.summary).toBe('Live credentials need allow_live: refusing to create API key "pay"');
    expect(p.message.detail).toContain('allow_live = true');
    expect(p.message.detail).toContain('KEYFORM_ALLOW_LIVE=true');
  });

  it.each([
    { reason: 'a live create', modes: [undefined, 'live'], allow: false, refused: true },
    { reason: 'a live key switched to test (the delete half of a replacement)', modes: ['live', 'test'], allow: false, refused: true },
    { reason: 'a live key destroyed or removed from the configuration', modes: ['live', undefined], allow: false, refused: true },
    { reason: 'a test key', modes: ['test', 'test'], allow: false, refused: false },
    { reason: 'anything live once allowed', modes: ['live', 'test'], allow: true, refused: false },
    { reason: 'an object without a mode', modes: [undefined, undefined], allow: false, refused: false },
  ])('$reason: refused = $refused', ({ modes, allow, refused }) => {
    expect(checkLiveAllowed(modes, allow, 'manage', 'x').length > 0).toBe(refused);
  });
});

describe('parseDuration', () => {
  it.each([
    { reason: 'days', text: '90d', seconds: 90 * 86400 },
    { reason: 'hours', text: '720h', seconds: 720 * 3600 },
    { reason: 'combined units', text: '1h30m', seconds: 5400 },
    { reason: 'weeks', text: '2w', seconds: 14 * 86400 },
    { reason: 'no unit is not a duration', text: '90', seconds: undefined },
    { reason: 'words are not a duration', text: 'monthly', seconds: undefined },
  ])('$reason', ({ text, seconds }) => {
    expect(parseDuration(text)).toBe(seconds);
  });
});

describe('isTimestamp', () => {
  it.each([
    { reason: 'UTC with Z', text: '2030-01-31T00:00:00Z', ok: true },
    { reason: 'with an offset and fraction', text: '2030-01-31T00:00:00.123+02:00', ok: true },
    { reason: 'a date alone', text: '2030-01-31', ok: false },
  ])('$reason', ({ text, ok }) => {
    expect(isTimestamp(text)).toBe(ok);
  });
});

describe('scrubSecrets', () => {
  it('cuts key values to their prefix', () => {
    expect(scrubSecrets('bad key fsk_test_abcdef123456 and fsk_live1234567')).toBe('bad key fsk_test_[redacted] and fsk_[redacted]');
  });
});
