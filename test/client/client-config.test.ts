import { ClientConfigError, KeyformClient } from '../../src/client';

describe('KeyformClient options', () => {
  it.each([
    { options: { endpoint: '' }, message: /Missing `endpoint`/, reason: 'no endpoint' },
    { options: { endpoint: 'not a url' }, message: /Invalid `endpoint`/, reason: 'not a URL' },
    { options: { endpoint: 'ftp://x' }, message: /Invalid `endpoint`/, reason: 'not http(s)' },
    { options: { endpoint: 'http://x', token: 't', clientId: 'c', clientSecret: 's' }, message: /either `token` or `clientId`/, reason: 'two kinds of credentials' },
    { options: { endpoint: 'http://x', clientId: 'c' }, message: /Missing `clientSecret`/, reason: 'client id without secret' },
    { options: { endpoint: 'http://x', clientSecret: 's' }, message: /Missing `clientId`/, reason: 'secret without client id' },
    { options: { endpoint: 'http://x', maxRetries: -1 }, message: /Invalid `maxRetries`/, reason: 'negative retries' },
    { options: { endpoint: 'http://x', timeoutMs: 0 }, message: /Invalid `timeoutMs`/, reason: 'zero timeout' },
    { options: { endpoint: 'http://x', connections: Number.NaN }, message: /Invalid `connections`/, reason: 'NaN connections' },
  ])('refuses $reason with a ClientConfigError naming the option', ({ options, message }) => {
    let err: unknown;
    try {
      new KeyformClient(options);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ClientConfigError);
    expect((err as ClientConfigError).code).toBe('KF-CLIENT-014');
    expect((err as Error).message).toMatch(message);
  });

  it('never echoes a secret from the options into a config error', () => {
    try {
      new KeyformClient({ endpoint: 'http://user:hunter2-secret@', clientId: 'c' } as never);
    } catch (e) {
      expect(String((e as Error).message)).not.toContain('hunter2');
      return;
    }
    throw new Error('expected a ClientConfigError');
  });

  it('fromEnv reads KEYFORM_ENDPOINT and client credentials, and explicit options win', async () => {
    const c = KeyformClient.fromEnv({ KEYFORM_ENDPOINT: 'http://127.0.0.1:1', KEYFORM_CLIENT_ID: 'id', KEYFORM_CLIENT_SECRET: 's' });
    expect(c.usesClientCredentials).toBe(true);
    await c.close();
    const d = KeyformClient.fromEnv({ KEYFORM_ENDPOINT: 'http://127.0.0.1:1', KEYFORM_CLIENT_ID: 'id', KEYFORM_CLIENT_SECRET: 's' }, { token: 'fsk_test_x' });
    expect(d.usesClientCredentials).toBe(false);
    await d.close();
  });

  it('does not show its credentials when the client object is inspected or serialised', async () => {
    const { inspect } = await import('node:util');
    const c = new KeyformClient({ endpoint: 'http://127.0.0.1:1', clientId: 'cid', clientSecret: 'very-secret-value' });
    expect(inspect(c, { depth: 5, showHidden: true })).not.toContain('very-secret-value');
    expect(JSON.stringify(c)).not.toContain('very-secret-value');
    await c.close();
  });
});
