import {
  AuthenticationError,
  ConflictError,
  KeyformApiError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ServerError,
  UnexpectedStatusError,
  ValidationError,
  errorForStatus,
} from '../../src/client/errors';
import { MESSAGES } from '../../src/client/messages';

describe('errorForStatus maps each failure to one class and stable code', () => {
  it.each([
    { status: 400, cls: ValidationError, code: 'KF-CLIENT-004', reason: 'invalid body or query' },
    { status: 422, cls: ValidationError, code: 'KF-CLIENT-004', reason: 'unprocessable is also a validation failure' },
    { status: 401, cls: AuthenticationError, code: 'KF-CLIENT-001', reason: 'bad bearer' },
    { status: 403, cls: PermissionError, code: 'KF-CLIENT-002', reason: 'missing scope' },
    { status: 404, cls: NotFoundError, code: 'KF-CLIENT-003', reason: 'no such object' },
    { status: 409, cls: ConflictError, code: 'KF-CLIENT-005', reason: 'idempotency conflict' },
    { status: 429, cls: RateLimitError, code: 'KF-CLIENT-007', reason: 'rate limited' },
    { status: 500, cls: ServerError, code: 'KF-CLIENT-008', reason: 'server failure' },
    { status: 503, cls: ServerError, code: 'KF-CLIENT-008', reason: 'unavailable' },
    { status: 405, cls: UnexpectedStatusError, code: 'KF-CLIENT-009', reason: 'not a keyform endpoint' },
  ])('$status -> $code: $reason', ({ status, cls, code }) => {
    const err = errorForStatus(status, { method: 'POST', path: '/v1/api-keys', messages: ['Something.'] });
    expect(err).toBeInstanceOf(cls);
    expect(err).toBeInstanceOf(KeyformApiError);
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe(code);
    expect(err.status).toBe(status);
    expect(err.name).toBe(cls.name);
  });
});

describe('KeyformApiError message', () => {
  it('names the call, the status, every server message and the fix', () => {
    const err = new ValidationError({
      method: 'POST',
      path: '/v1/api-keys',
      status: 400,
      messages: ['Invalid scope value.', 'Missing required field: type.'],
    });
    expect(err.message).toBe(
      `${MESSAGES['KF-CLIENT-004'].summary} [POST /v1/api-keys -> 400] Invalid scope value. Missing required field: type. Fix: ${MESSAGES['KF-CLIENT-004'].hint}.`,
    );
    expect(err.messages).toEqual(['Invalid scope value.', 'Missing required field: type.']);
    expect(err.method).toBe('POST');
    expect(err.path).toBe('/v1/api-keys');
  });

  it('mentions the attempts and detail when retries were made', () => {
    const err = new ServerError({ method: 'GET', path: '/v1/scopes', status: 503, attempts: 5, detail: 'x' });
    expect(err.message).toContain('(x, after 5 attempts)');
    expect(err.attempts).toBe(5);
  });

  it('keeps the server Retry-After on a RateLimitError', () => {
    const err = errorForStatus(429, { method: 'GET', path: '/v1/scopes', retryAfterMs: 2000 }) as RateLimitError;
    expect(err.retryAfterMs).toBe(2000);
  });
});

describe('messages.ts', () => {
  it('gives every code a one-sentence summary and a fix hint', () => {
    for (const [code, m] of Object.entries(MESSAGES)) {
      expect({ code, ok: /^[A-Z].*\.$/.test(m.summary) }).toEqual({ code, ok: true });
      expect({ code, ok: m.hint.length > 10 && !m.hint.endsWith('.') }).toEqual({ code, ok: true });
    }
  });

  it('tells the user where to look when the API is unreachable', () => {
    expect(MESSAGES['KF-CLIENT-010'].hint).toBe('check `endpoint` / KEYFORM_ENDPOINT and that the server is running');
  });
});
