import { z } from 'zod';
import { ErrorBody } from './common';
import { ROUTES } from './routes';

/** Builds the OpenAPI 3.1 document of the Key Management API v1 from the zod model. */
export function buildOpenApi(version: string): Record<string, unknown> {
  const schemas: Record<string, unknown> = {};
  const ref = (schema: z.ZodType | undefined) => {
    if (!schema) return undefined;
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    const id = (z.globalRegistry.get(schema) as { id?: string } | undefined)?.id;
    delete json.$schema;
    if (!id) return json;
    delete json.id;
    schemas[id] = json;
    return { $ref: `#/components/schemas/${id}` };
  };
  const errorRef = ref(ErrorBody);
  const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: errorRef } } });

  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    const params: unknown[] = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (r.query) {
      const q = z.toJSONSchema(r.query, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown> };
      for (const [name, schema] of Object.entries(q.properties ?? {})) params.push({ name, in: 'query', required: false, schema });
    }
    if (r.idempotent) {
      params.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 }, description: 'A retried request with the same key and body returns the first response instead of acting twice.' });
    }
    // Optimistic concurrency (issue 9): object routes answer an ETag; changes of one object take If-Match.
    const objectRoute = r.path.includes('{id}');
    const conditional = objectRoute && r.method !== 'GET';
    if (conditional) {
      params.push({ name: 'If-Match', in: 'header', required: false, schema: { type: 'string' }, description: 'The ETag the change is based on; 412 when the object changed since (`*` matches any version).' });
    }
    const etagHeader = objectRoute || r.success.status === 201 ? { headers: { ETag: { description: 'Version of the object, for If-Match.', schema: { type: 'string' } } } } : {};
    const responses: Record<string, unknown> = {
      [String(r.success.status)]: r.success.body
        ? { description: r.summary, ...etagHeader, content: { 'application/json': { schema: ref(r.success.body) } } }
        : { description: r.summary },
      '400': errorResponse('Invalid request: one message per problem.'),
      '429': errorResponse('Rate limited: retry after the Retry-After header.'),
    };
    if (r.access.kind !== 'public') {
      responses['401'] = errorResponse('Authentication failed. Invalid bearer token.');
      responses['403'] = errorResponse('The bearer lacks the scope (named in the message) or the permission.');
    }
    if (r.path.includes('{')) responses['404'] = errorResponse('No such object.');
    if (conditional) responses['412'] = errorResponse('Precondition failed: the If-Match ETag is stale; nothing was changed.');
    const op: Record<string, unknown> = {
      operationId: r.id,
      summary: r.summary,
      parameters: params.length ? params : undefined,
      responses,
    };
    if (r.access.kind === 'scope') op['x-keyform-scope'] = r.access.scope;
    if (r.access.kind === 'admin') op['x-keyform-admin'] = true;
    if (r.access.kind !== 'public') op.security = [{ bearer: [] }];
    if (r.body) {
      const contentTypes: Record<string, unknown> = { 'application/json': { schema: ref(r.body) } };
      if (r.clientAuth) contentTypes['application/x-www-form-urlencoded'] = { schema: ref(r.body) };
      op.requestBody = { required: true, content: contentTypes };
    }
    const path = (paths[r.path] ??= {});
    path[r.method.toLowerCase()] = JSON.parse(JSON.stringify(op));
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Key Management API',
      version,
      description: 'API keys, OAuth authorizations, project access and MCP-server grants. Implemented by `keyform serve`.',
    },
    paths,
    components: {
      schemas,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A token from /oauth2/token, or an API key (fsk_…) limited to its scopes.' } },
    },
  };
}
