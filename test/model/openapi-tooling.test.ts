/**
 * docs/openapi.json through standard tooling: a maintained OpenAPI linter (Redocly CLI, minimal
 * rules) finds no error and no warning, and a typed client generated from it (openapi-typescript)
 * compiles with tsc under `strict` — including the introspection route and the authorization's mode,
 * with wrong uses rejected by the compiler. Both tools are devDependencies resolved from node_modules.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const DOC = join(ROOT, 'docs', 'openapi.json');

/** The bin script of an installed package, resolved like any dependency. */
function bin(pkg: string, name: string): string {
  const manifest = require.resolve(`${pkg}/package.json`, { paths: [ROOT] });
  const bins = (require(manifest) as { bin: string | Record<string, string> }).bin;
  return join(dirname(manifest), typeof bins === 'string' ? bins : bins[name]);
}

function run(args: string[], cwd = ROOT): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' } });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'keyform-openapi-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('docs/openapi.json with standard tooling', () => {
  it('lints clean with Redocly (minimal rules): no unresolved reference, no error, no warning', () => {
    const r = spawnSync(process.execPath, [bin('@redocly/cli', 'redocly'), 'lint', '--extends=minimal', '--format=json', DOC], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    });
    const report = JSON.parse(r.stdout) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string }[] };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(r.status).toBe(0);
  });

  it('generates a typed client with openapi-typescript that compiles under tsc --strict', () => {
    const types = join(dir, 'api.d.ts');
    const gen = run([bin('openapi-typescript', 'openapi-typescript'), DOC, '--output', types]);
    expect(gen.status).toBe(0);
    // A tiny client over fetch, typed only by the generated paths: what a user of the document writes.
    writeFileSync(
      join(dir, 'client.ts'),
      `import type { paths, components } from './api';
type Introspect = paths['/oauth2/introspect']['post'];
type Answer = Introspect['responses'][200]['content']['application/json'];
type Authorization = components['schemas']['Authorization'];

export async function introspect(base: string, bearer: string, token: string): Promise<Answer> {
  const body: Introspect['requestBody'] extends infer B ? (B extends { content: { 'application/json': infer J } } ? J : never) : never = { token };
  const res = await fetch(base + '/oauth2/introspect', { method: 'POST', headers: { authorization: 'Bearer ' + bearer, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.json()) as Answer;
}

export function reach(a: Answer): string[] {
  if (!a.active) return [];
  return [a.mode ?? 'test', ...(a.mcp_servers ?? []), ...(a.project_access ?? []).map((p) => p.project_id + ':' + p.role)];
}

export function isLive(a: Authorization): boolean {
  return a.mode === 'live';
}

export type CreateKey = paths['/v1/api-keys']['post']['requestBody'] extends infer B ? (B extends { content: { 'application/json': infer J } } ? J : never) : never;
export const key: CreateKey = { mid: 'mid_123456', name: 'k', type: 'secret', scopes: ['customers:read'] };
export type Rotate = paths['/v1/api-keys/{id}/rotate']['post'];
export const ifMatch: NonNullable<Rotate['parameters']['header']>['If-Match'] = 'W/"1"';

// The generated types are real: wrong uses do not compile.
// @ts-expect-error mode is test or live
export const badMode: Authorization['mode'] = 'staging';
// @ts-expect-error the introspection request needs a token
export const badBody: CreateIntrospection = {};
type CreateIntrospection = components['schemas']['IntrospectionRequest'];
`,
    );
    const tsc = run([require.resolve('typescript/bin/tsc', { paths: [ROOT] }), '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--lib', 'es2022,dom', '--skipLibCheck', 'false', join(dir, 'client.ts')], dir);
    expect(tsc.out.trim()).toBe('');
    expect(tsc.status).toBe(0);
  });
});
