/** The fastify application: authentication, rate limit, faults, validation by the route table, one transaction per request. */
import { createHash } from 'node:crypto';
import type { Sql } from './database';
import { STATUS_CODES } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { ROUTES, redactSecrets, redactSecretsDeep, validate, type RouteSpec } from '../model';
import { authenticate, authorize } from './auth';
import { createToken } from './auth';
import { renewToken, revokeToken } from './token-lifecycle';
import * as keys from './api-keys';
import * as dir from './directory';
import * as authz from './authorizations';
import { listApiKeyLogs, listAuditLog, recordRequestLog } from './audit';
import { getApiKeyUsage, recordUsage } from './usage';
import { ApiError, type Credential, type RouteAction, type RouteContext, type RouteResult, type ServerState } from './context';
import { drawAfterFault, drawBeforeFault, drawLatency, faultsActive, type FaultSpec } from './faults';
import { checkIdempotencyKey, runIdempotent, stableStringify } from './idempotency';
import { MESSAGES } from './messages';
import { RateLimiter } from './rate-limit';
import { newId } from './secrets';
import { PageQuery } from '../model';

/** How long `GET /healthz` waits for the store before answering 503. */
export const HEALTH_TIMEOUT_MS = 2000;

/** Largest request body accepted, in bytes. */
export const BODY_LIMIT = 64 * 1024;

/** The action of every route id of the route table. */
const ROUTE_ACTIONS: Readonly<Record<string, RouteAction>> = {
  // Answered before any transaction (see registerRoute): listed so every route has an action.
  getHealth: () => ({ status: 200, body: { status: 'ok' } }),
  createToken,
  introspectToken: authz.introspectToken,
  revokeToken,
  renewToken,
  listScopes: dir.listScopes,
  createApiKey: keys.createApiKey,
  listApiKeys: keys.listApiKeys,
  getApiKey: keys.getApiKey,
  updateApiKey: keys.updateApiKey,
  revokeApiKey: keys.revokeApiKey,
  rotateApiKey: keys.rotateApiKey,
  listApiKeyLogs,
  getApiKeyUsage,
  createAuthorization: authz.createAuthorization,
  listAuthorizations: authz.listAuthorizations,
  getAuthorization: authz.getAuthorization,
  updateAuthorization: authz.updateAuthorization,
  deleteAuthorization: authz.deleteAuthorization,
  putProjectAccess: authz.putProjectAccess,
  deleteProjectAccess: authz.deleteProjectAccess,
  putMcpServerGrant: authz.putMcpServerGrant,
  deleteMcpServerGrant: authz.deleteMcpServerGrant,
  listProjects: dir.listProjects,
  listMcpServers: dir.listMcpServers,
  listAuditLog,
  adminCreateMerchant: dir.adminCreateMerchant,
  adminListMerchants: dir.adminListMerchants,
  adminCreateProject: dir.adminCreateProject,
  adminCreateMcpServer: dir.adminCreateMcpServer,
  adminCreateUser: dir.adminCreateUser,
  adminListUsers: dir.adminListUsers,
  adminDeleteUser: dir.adminDeleteUser,
};

/** Options of the HTTP app. */
export interface AppOptions {
  readonly state: ServerState;
  readonly faults: FaultSpec;
  readonly rateLimit: number;
  /** Writes one log line (a JSON object); undefined when quiet. */
  readonly log?: (line: Record<string, unknown>) => void;
}

/** Per-request bookkeeping for logging and the per-key request log. */
interface RequestState {
  start: number;
  credential?: Credential;
  /** The API key a request is attributed to, even when it failed authentication. */
  keyId?: string;
  firstError?: string;
  /** Set once an API key passed the route's scope check: the scope it exercised (null: none needed). */
  usageScope?: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    kf: RequestState;
  }
}

const FORM = 'application/x-www-form-urlencoded';

function pathRegex(path: string): RegExp {
  return new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
}

/** Fields of an object's representation that are not part of its version (secrets shown once, time-derived or usage fields). */
const UNVERSIONED_FIELDS = new Set(['value', 'secret', 'client_secret', 'status', 'previous_expires_at', 'last_used_at']);

/**
 * The strong ETag of an object's representation (a body with `object` and `id`), or undefined for
 * other bodies (lists, errors). Usage and time-derived fields are left out, so a key in use keeps its
 * ETag until someone changes it.
 */
export function etagOf(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  if (typeof b.object !== 'string' || typeof b.id !== 'string') return undefined;
  const versioned = Object.fromEntries(Object.entries(b).filter(([k]) => !UNVERSIONED_FIELDS.has(k)));
  return `"${createHash('sha256').update(stableStringify(versioned)).digest('base64url').slice(0, 27)}"`;
}

/** Whether an `If-Match` header value matches the current ETag (`*` matches any; weak tags never do). */
export function ifMatchSatisfied(header: string, current: string): boolean {
  return header
    .split(',')
    .map((t) => t.trim())
    .some((t) => t === '*' || t === current);
}

/**
 * The route that reads the object a mutating route changes (`GET /v1/api-keys/{id}` for PATCH, DELETE
 * and rotate of a key), so `If-Match` is checked the same way on every object.
 */
function objectReadRoute(spec: RouteSpec): RouteSpec | undefined {
  if (spec.method === 'GET' || !spec.path.includes('{id}')) return undefined;
  const objectPath = spec.path.slice(0, spec.path.indexOf('{id}') + '{id}'.length);
  return ROUTES.find((r) => r.method === 'GET' && r.path === objectPath);
}

/** Builds the fastify app: every route of ROUTES, the {errors} error shape, auth, limits and faults. */
export function buildApp(opts: AppOptions): FastifyInstance {
  const { state, faults } = opts;
  // Every log line passes through the one redaction function: nothing secret-shaped is written.
  const writeLog = opts.log;
  const log = writeLog ? (line: Record<string, unknown>) => writeLog(redactSecretsDeep(line)) : undefined;
  const store = state.store;
  const limiter = new RateLimiter(opts.rateLimit);
  const faultsOn = faultsActive(faults);
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    genReqId: () => newId('req'),
    return503OnClosing: false,
    // Errors Node's HTTP parser raises before fastify sees a request (URL or headers too large, a
    // malformed request line) get the API's {errors} shape too, not fastify's default body.
    clientErrorHandler: (err: Error & { code?: string }, socket) => {
      if (err.code === 'ECONNRESET' || socket.destroyed) return;
      const [status, message] =
        err.code === 'HPE_HEADER_OVERFLOW'
          ? [431, MESSAGES.HEADERS_TOO_LARGE()]
          : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? [408, MESSAGES.REQUEST_TIMEOUT()]
            : [400, MESSAGES.MALFORMED_HTTP()];
      const body = JSON.stringify({ errors: [message] });
      if (socket.writable) {
        socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      }
      socket.destroy(err);
    },
    frameworkErrors: (err, _req, reply) => {
      void (reply as FastifyReply).code(400).send({ errors: [redactSecrets(MESSAGES.BAD_REQUEST(err.message.replace(/\.$/, '')))] });
    },
  });
  app.decorateRequest('kf', null as unknown as RequestState);

  // Only JSON everywhere, plus form encoding for the token route (OAuth clients send that).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      done(new ApiError(400, [MESSAGES.INVALID_JSON((e as Error).message.replace(/\.$/, ''))]), undefined);
    }
  });
  app.addContentTypeParser(FORM, { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  // The one error builder: every error body passes through the redaction function, so a secret a
  // caller sent (as an id, a name, a header value) is never echoed back.
  const send = (req: FastifyRequest, reply: FastifyReply, err: ApiError): FastifyReply => {
    const errors = err.errors.map((e) => redactSecrets(e));
    if (req.kf) req.kf.firstError ??= errors[0];
    for (const [k, v] of Object.entries(err.headers)) void reply.header(k, v);
    return reply.code(err.status).send({ errors });
  };

  app.setErrorHandler((error: Error & { code?: string; statusCode?: number }, req, reply) => {
    if (error instanceof ApiError) return send(req, reply, error);
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(req, reply, new ApiError(413, [MESSAGES.BODY_TOO_LARGE(BODY_LIMIT)]));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(req, reply, new ApiError(415, [MESSAGES.UNSUPPORTED_MEDIA_TYPE(String(req.headers['content-type'] ?? ''))]));
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return send(req, reply, new ApiError(400, [MESSAGES.INVALID_JSON('the body is empty')]));
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return send(req, reply, new ApiError(error.statusCode, [MESSAGES.BAD_REQUEST(error.message.replace(/\.$/, ''))]));
    }
    log?.({ level: 'error', msg: 'unhandled error', request_id: req.id, error: error.message });
    return send(req, reply, new ApiError(500, [MESSAGES.INTERNAL()]));
  });

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    const allowed = ROUTES.filter((r) => pathRegex(r.path).test(path)).map((r) => r.method);
    if (allowed.length) {
      void reply.header('Allow', allowed.join(', '));
      return send(req, reply, new ApiError(405, [MESSAGES.METHOD_NOT_ALLOWED(req.method, path, allowed)]));
    }
    return send(req, reply, new ApiError(404, [MESSAGES.NO_SUCH_ROUTE(req.method, path)]));
  });

  app.addHook('onRequest', async (req, reply) => {
    req.kf = { start: performance.now() };
    void reply.header('X-Request-Id', req.id);
    if (!faultsOn || req.url.startsWith('/oauth2/')) return;
    const latency = drawLatency(faults);
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    const fault = drawBeforeFault(faults);
    if (fault === 'drop') {
      reply.hijack();
      req.raw.socket.destroy();
      return;
    }
    if (fault === '500') throw new ApiError(500, [MESSAGES.INJECTED_500()]);
    if (fault === '429') throw new ApiError(429, [MESSAGES.INJECTED_429()], { 'Retry-After': '1' });
  });

  app.addHook('onResponse', async (req, reply) => {
    const kf = req.kf;
    if (!kf) return;
    const path = req.url.split('?')[0];
    if (kf.keyId) {
      try {
        await recordRequestLog(store, kf.keyId, req.method, path, reply.statusCode, reply.statusCode >= 400 ? (kf.firstError ?? null) : null, Date.now());
      } catch {
        // The log is best effort: a closed database at shutdown must not crash the server.
      }
    }
    if (kf.keyId && kf.usageScope !== undefined) {
      try {
        await recordUsage(store, kf.keyId, kf.usageScope, reply.statusCode, Date.now());
      } catch {
        // Best effort, like the request log.
      }
    }
    log?.({
      level: 'info',
      msg: 'request',
      request_id: req.id,
      method: req.method,
      route: req.routeOptions.url ?? null,
      path,
      status: reply.statusCode,
      ms: Math.round((performance.now() - kf.start) * 10) / 10,
      credential: kf.credential ? `${kf.credential.kind}:${kf.credential.id}` : kf.keyId ? `api_key:${kf.keyId}` : null,
    });
  });

  /** `GET /healthz`: the store answers a trivial query within a bound, else 503 (a load balancer then stops sending here). */
  async function health(): Promise<{ status: 'ok' }> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        store.ping(),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), HEALTH_TIMEOUT_MS))),
      ]);
    } catch {
      throw new ApiError(503, [MESSAGES.STORE_UNAVAILABLE()], { 'Retry-After': '1' });
    } finally {
      clearTimeout(timer);
    }
    return { status: 'ok' };
  }

  for (const spec of ROUTES) registerRoute(app, spec);

  function registerRoute(appInstance: FastifyInstance, spec: RouteSpec): void {
    const action = ROUTE_ACTIONS[spec.id];
    if (!action) throw new Error(`no action for route ${spec.id}`);
    appInstance.route({
      method: spec.method,
      url: spec.path.replace(/\{([^}]+)\}/g, ':$1'),
      handler: async (req, reply) => {
        const now = Date.now();
        let credential: Credential | undefined;
        if (spec.access.kind === 'public') {
          const wait = limiter.take(`ip:${req.ip}`, now);
          if (wait !== undefined) throw new ApiError(429, [MESSAGES.RATE_LIMITED(wait)], { 'Retry-After': String(wait) });
        } else {
          const auth = await authenticate(store, req.headers.authorization, now);
          const bucket = auth.ok ? `${auth.credential.kind}:${auth.credential.id}` : auth.keyId ? `api_key:${auth.keyId}` : `ip:${req.ip}`;
          if (auth.ok && auth.credential.kind === 'api_key') req.kf.keyId = auth.credential.id;
          if (!auth.ok) req.kf.keyId = auth.keyId;
          const wait = limiter.take(bucket, now);
          if (wait !== undefined) throw new ApiError(429, [MESSAGES.RATE_LIMITED(wait)], { 'Retry-After': String(wait) });
          if (!auth.ok) throw auth.error;
          credential = auth.credential;
          req.kf.credential = credential;
          authorize(credential, spec.access);
          if (credential.kind === 'api_key') req.kf.usageScope = spec.access.kind === 'scope' ? spec.access.scope : null;
        }
        const contentType = String(req.headers['content-type'] ?? '');
        if (!spec.clientAuth && !spec.form && contentType.toLowerCase().startsWith(FORM)) {
          throw new ApiError(415, [MESSAGES.UNSUPPORTED_MEDIA_TYPE(contentType)]);
        }
        const errors: string[] = [];
        let query: unknown = {};
        const querySchema = spec.query ?? (spec.method === 'GET' ? PageQuery : undefined);
        if (querySchema) {
          const q = validate(querySchema, req.query ?? {});
          if (q.ok) query = q.value;
          else errors.push(...q.errors);
        }
        let body: unknown = req.body;
        if (spec.id === 'updateApiKey') {
          const v = keys.validateUpdateApiKey(req.body);
          if (v.ok) body = v.value;
          else errors.push(...v.errors);
        } else if (spec.body) {
          let input = withBasicAuth(spec, req);
          // A body-less POST (e.g. a rotation with the default grace period) means "no options".
          if (input === undefined && validate(spec.body, {}).ok) input = {};
          const v = validate(spec.body, input);
          if (v.ok) body = v.value;
          else errors.push(...v.errors);
        }
        if (errors.length) throw new ApiError(400, errors);
        // What the model let through (ids, filters, metadata) is stored or looked up as given; PostgreSQL
        // cannot hold U+0000, so neither store accepts it (one contract).
        const nul = nulField({ path: req.params, query: req.query, body: req.body });
        if (nul !== undefined) throw new ApiError(400, [MESSAGES.NUL_CHARACTER(nul.slice(nul.indexOf('.') + 1))]);
        if (spec.id === 'getHealth') return reply.send(await health());
        const base: Omit<RouteContext, 'db'> = {
          state,
          credential,
          params: req.params as Record<string, string>,
          body,
          query,
          requestId: req.id,
          now,
        };
        const idemKey = spec.idempotent && credential ? checkIdempotencyKey(req.headers['idempotency-key']) : undefined;
        const ifMatch = req.headers['if-match'];
        const readRoute = ifMatch !== undefined ? objectReadRoute(spec) : undefined;
        // If-Match is checked against the object's current representation in the same transaction as
        // the change, so no write can slip in between. When the read fails (unknown, out of reach,
        // already deleted) the action answers as it would without the header.
        const guarded = async (tx: Sql): Promise<RouteResult> => {
          const ctx: RouteContext = { ...base, db: tx };
          if (readRoute && typeof ifMatch === 'string') {
            let current: string | undefined;
            try {
              current = etagOf((await ROUTE_ACTIONS[readRoute.id]({ ...ctx, query: {}, body: undefined })).body);
            } catch (e) {
              if (!(e instanceof ApiError)) throw e;
            }
            if (current !== undefined && !ifMatchSatisfied(ifMatch, current)) throw new ApiError(412, [MESSAGES.PRECONDITION_FAILED(ctx.params.id)]);
          }
          return action(ctx);
        };
        const result = await store.transaction(
          async (tx) =>
            idemKey !== undefined && credential
              ? runIdempotent(tx, state.sealer, credential, idemKey, { method: spec.method, path: req.url.split('?')[0], body: req.body }, now, () => guarded(tx))
              : { ...(await guarded(tx)), replayed: false },
          { readOnly: spec.method === 'GET', locks: writeLocks(spec, base.params, credential, idemKey) },
        );
        if (result.replayed) void reply.header('Idempotent-Replayed', 'true');
        const etag = result.status < 300 ? etagOf(result.body) : undefined;
        if (etag) void reply.header('ETag', etag);
        if (faultsOn && spec.method === 'POST' && spec.idempotent) {
          const after = drawAfterFault(faults);
          if (after === 'drop') {
            reply.hijack();
            req.raw.socket.destroy();
            return;
          }
          if (after === '500') throw new ApiError(500, [MESSAGES.INJECTED_500()]);
        }
        void reply.code(result.status);
        if (result.body === undefined) return reply.send();
        return reply.send(result.body);
      },
    });
  }
  return app;
}

/** The first field (dotted path) of a request whose text, or key, holds U+0000; undefined when none does. */
export function nulField(value: unknown): string | undefined {
  // Iterative: a hostile body may nest thousands of levels deep.
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (stack.length) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path;
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    for (const [k, x] of Object.entries(v)) {
      const at = path ? `${path}.${k}` : k;
      if (k.includes('\u0000')) return at.replace(/\u0000/g, '\\u0000');
      stack.push({ value: x, path: at });
    }
  }
  return undefined;
}

/**
 * What a request changes, for the store's per-object write locks: the object of an `{id}` route and the
 * caller's Idempotency-Key (as a hash: the key itself never leaves the process). Reads lock nothing.
 */
function writeLocks(spec: RouteSpec, params: Readonly<Record<string, string>>, credential: Credential | undefined, idemKey: string | undefined): string[] {
  if (spec.method === 'GET') return [];
  const locks: string[] = [];
  if (params.id !== undefined) locks.push(`object:${params.id}`);
  if (idemKey !== undefined && credential) locks.push(`idempotency:${createHash('sha256').update(`${credential.kind}:${credential.id}\n${idemKey}`).digest('hex')}`);
  return locks;
}

/** Token routes may authenticate the client with HTTP Basic (RFC 6749 client_secret_basic). */
function withBasicAuth(spec: RouteSpec, req: FastifyRequest): unknown {
  const header = req.headers.authorization;
  if (!spec.clientAuth || !header || !/^Basic /i.test(header)) return req.body;
  const encoded = header.slice(6).trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw new ApiError(400, [MESSAGES.INVALID_BASIC()]);
  const bytes = Buffer.from(encoded, 'base64');
  const decoded = bytes.toString('utf8');
  // Not UTF-8 (the decoder substituted U+FFFD), or no `:` between id and secret: refused, never guessed.
  if (!Buffer.from(decoded, 'utf8').equals(bytes)) throw new ApiError(400, [MESSAGES.INVALID_BASIC()]);
  const i = decoded.indexOf(':');
  if (i < 0) throw new ApiError(400, [MESSAGES.INVALID_BASIC()]);
  const base = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
  let clientId: string;
  let clientSecret: string;
  try {
    clientId = decodeURIComponent(decoded.slice(0, i));
    clientSecret = decodeURIComponent(decoded.slice(i + 1));
  } catch {
    // A broken %-escape (URIError).
    throw new ApiError(400, [MESSAGES.INVALID_BASIC()]);
  }
  return { client_id: clientId, client_secret: clientSecret, ...base };
}
