/**
 * One rule, one answer: every case of the rulebook run through the three layers that enforce it —
 * the constructs (synth-time validation of a real construct tree), the provider (the real keyform
 * provider definition behind the tfplugin6 ValidateResourceConfig RPC, msgpack-encoded config) and
 * the real reference server (HTTP on a loopback port over SQLite) — expecting the same verdict and the
 * same code from each. The server speaks the API's messages, not codes: its errors must be exactly the
 * rulebook findings' API messages, each of which belongs to one code.
 *
 * Where a layer cannot be given a case, the row says why (`not`), e.g. Terraform collapses a set's
 * duplicates before any provider sees them. Requires `npm run build` (the server runs from dist).
 */
import { TerraformStack } from 'cdktf';
import {
  ApiKey,
  AuthorizationKind,
  Capability,
  Duration,
  KeyMode,
  KeyType,
  OAuthAuthorization,
  ProjectAccess,
  ProjectRole,
  Scope,
} from '../../src';
import { AUTHORIZATION_KINDS, KEY_MODES, KEY_TYPES, ROLES } from '../../src/model/catalog';
import {
  Finding,
  Verdict,
  capabilitiesRule,
  choiceRule,
  deliveryCommandOnlyRule,
  deliveryEnvNamesRule,
  deliveryTargetRule,
  deliveryTimeoutRule,
  descriptionRule,
  gracePeriodSecondsRule,
  nameRule,
  parseDuration,
  rotationRule,
  scopesRule,
  timestampRule,
} from '../../src/model/rules';
import type { BlockSchema, TfObject } from '../../src/provider/framework';
import { keyformProvider } from '../../src/provider/keyform/provider';
import { encodeBlock } from '../../src/provider/plugin/cty-codec';
import { createLogger } from '../../src/provider/plugin/logger';
import { ProviderService } from '../../src/provider/plugin/provider-service';
import { newStack, validationErrors } from '../constructs/support/harness';
import { as } from '../server/http';
import { startTestServer, type TestServer } from '../support/server';

/** A key as a user declares it; what is left out takes the defaults. */
interface KeyDecl {
  readonly name?: string;
  readonly type?: string;
  readonly mode?: string;
  readonly scopes?: string[];
  readonly description?: string;
  readonly expiresAt?: string;
  readonly every?: string;
  readonly grace?: string;
  readonly delivery?: DeliveryDecl;
}
/** A `secretDelivery` / `secret_delivery` block as a user declares it. */
interface DeliveryDecl {
  readonly file?: string;
  readonly command?: string;
  readonly env?: Record<string, string>;
  readonly inheritEnv?: string[];
  readonly timeout?: string;
}
/** An authorization as a user declares it. */
interface AuthorizationDecl {
  readonly name?: string;
  readonly kind?: string;
  readonly capabilities?: string[];
}
/** A project access as a user declares it. */
interface AccessDecl {
  readonly role: string;
}

type Layer = 'constructs' | 'provider' | 'server';
type Row = { readonly reason: string; readonly codes: string[]; readonly not?: Partial<Record<Layer, string>> } & (
  | { readonly kind: 'key'; readonly decl: KeyDecl }
  | { readonly kind: 'authorization'; readonly decl: AuthorizationDecl }
  | { readonly kind: 'access'; readonly decl: AccessDecl }
);

const NO_DELIVERY = 'the API never sees a delivery: the provider delivers the secret';

const ROWS: Row[] = [
  { reason: 'a plain key passes everywhere', kind: 'key', decl: { scopes: ['customers:read'] }, codes: [] },
  { reason: 'a name of spaces is blank (the API accepted it before the rulebook)', kind: 'key', decl: { name: '   ' }, codes: ['KF-RULE-001'] },
  { reason: 'an empty name is blank', kind: 'key', decl: { name: '' }, codes: ['KF-RULE-001'] },
  { reason: 'a 201-character name is too long (synth accepted it before the rulebook)', kind: 'key', decl: { name: 'n'.repeat(201) }, codes: ['KF-RULE-002'] },
  { reason: '200 emoji are 200 characters, not 400 UTF-16 units', kind: 'key', decl: { name: '🔑'.repeat(200) }, codes: [] },
  { reason: '< or > in a name (seed 004)', kind: 'key', decl: { name: 'a<b>' }, codes: ['KF-RULE-003'] },
  { reason: 'an ESC in a name (synth accepted it before the rulebook)', kind: 'key', decl: { name: 'pay\u001b[2J' }, codes: ['KF-RULE-004'] },
  {
    reason: 'a lone surrogate in a name',
    kind: 'key',
    decl: { name: 'pay\ud800' },
    codes: ['KF-RULE-005'],
    not: { provider: 'Terraform configuration is UTF-8: a lone surrogate cannot reach a provider' },
  },
  { reason: 'a description over 1000 characters (validate accepted it before the rulebook)', kind: 'key', decl: { description: 'd'.repeat(1001) }, codes: ['KF-RULE-006'] },
  { reason: 'a BEL in a description', kind: 'key', decl: { description: 'ding\u0007' }, codes: ['KF-RULE-004'] },
  { reason: 'line breaks in a description pass', kind: 'key', decl: { description: 'line one\nline two' }, codes: [] },
  { reason: 'an empty scope', kind: 'key', decl: { scopes: [''] }, codes: ['KF-RULE-010'] },
  { reason: 'a misspelt scope', kind: 'key', decl: { scopes: ['custmers:read'] }, codes: ['KF-RULE-011'] },
  {
    reason: 'a scope listed twice',
    kind: 'key',
    decl: { scopes: ['charges:read', 'charges:read'] },
    codes: ['KF-RULE-012'],
    not: { provider: 'scopes is a set: Terraform collapses duplicates before any provider sees them' },
  },
  { reason: 'an unknown type (synth did not check it before the rulebook)', kind: 'key', decl: { type: 'private' }, codes: ['KF-RULE-030'] },
  { reason: 'an unknown mode', kind: 'key', decl: { mode: 'sandbox' }, codes: ['KF-RULE-030'] },
  { reason: 'an offset time passes', kind: 'key', decl: { expiresAt: '2031-01-31T00:00:00+01:00' }, codes: [] },
  { reason: '30 February is not a time (synth and validate accepted it before the rulebook)', kind: 'key', decl: { expiresAt: '2030-02-30T00:00:00Z' }, codes: ['KF-RULE-040'] },
  { reason: 'hour 24 is not a time (synth and validate accepted it before the rulebook)', kind: 'key', decl: { expiresAt: '2030-01-31T24:00:00Z' }, codes: ['KF-RULE-040'] },
  { reason: 'a date without a time', kind: 'key', decl: { expiresAt: '2030-01-31' }, codes: ['KF-RULE-040'] },
  {
    reason: 'a grace period over 30 days (synth accepted it before the rulebook)',
    kind: 'key',
    decl: { every: '90d', grace: '31d' },
    codes: ['KF-RULE-052'],
  },
  {
    reason: 'a grace period longer than the interval is allowed, as the API allows it (synth refused it before the rulebook)',
    kind: 'key',
    decl: { every: '1d', grace: '2d' },
    codes: [],
  },
  {
    reason: 'a zero rotation interval',
    kind: 'key',
    decl: { every: '0d' },
    codes: ['KF-RULE-051'],
    not: { server: 'the API knows no schedule: the provider rotates when it is due' },
  },
  {
    reason: 'a rotation interval that is not a duration',
    kind: 'key',
    decl: { every: '1h1h' },
    codes: ['KF-RULE-050'],
    not: { server: 'the API knows no schedule: the provider rotates when it is due' },
  },
  { reason: 'a delivery to a command with its options passes', kind: 'key', decl: { delivery: { command: 'cat', env: { A: '1' }, inheritEnv: ['VAULT_TOKEN'], timeout: '2m' } }, codes: [], not: { server: NO_DELIVERY } },
  { reason: 'a delivery to both a file and a command', kind: 'key', decl: { delivery: { file: 'k', command: 'cat' } }, codes: ['KF-RULE-060'], not: { server: NO_DELIVERY } },
  { reason: 'an empty file is no destination (validate accepted it before the rulebook)', kind: 'key', decl: { delivery: { file: '' } }, codes: ['KF-RULE-061'], not: { server: NO_DELIVERY } },
  { reason: 'env on a file delivery', kind: 'key', decl: { delivery: { file: 'k', env: { A: '1' } } }, codes: ['KF-RULE-062'], not: { server: NO_DELIVERY } },
  { reason: 'the provider\'s secret inherited by a delivery command', kind: 'key', decl: { delivery: { command: 'cat', inheritEnv: ['KEYFORM_CLIENT_SECRET'] } }, codes: ['KF-RULE-063'], not: { server: NO_DELIVERY } },
  { reason: 'a variable name that is not one', kind: 'key', decl: { delivery: { command: 'cat', inheritEnv: ['NOT-A-NAME'] } }, codes: ['KF-RULE-064'], not: { server: NO_DELIVERY } },
  { reason: 'a delivery timeout over an hour', kind: 'key', decl: { delivery: { command: 'cat', timeout: '2h' } }, codes: ['KF-RULE-065'], not: { server: NO_DELIVERY } },
  { reason: 'apps:admin with apps:view passes', kind: 'authorization', decl: { capabilities: ['apps:admin', 'apps:view'] }, codes: [] },
  { reason: 'apps:admin without its prerequisite apps:view', kind: 'authorization', decl: { capabilities: ['apps:admin'] }, codes: ['KF-RULE-022'] },
  { reason: 'an unknown capability', kind: 'authorization', decl: { capabilities: ['flows:delete'] }, codes: ['KF-RULE-020'] },
  {
    reason: 'a capability listed twice',
    kind: 'authorization',
    decl: { capabilities: ['mcp', 'mcp'] },
    codes: ['KF-RULE-021'],
    not: { provider: 'capabilities is a set: Terraform collapses duplicates before any provider sees them' },
  },
  { reason: 'an unknown kind', kind: 'authorization', decl: { kind: 'saml' }, codes: ['KF-RULE-030'] },
  { reason: 'a blank authorization name', kind: 'authorization', decl: { name: ' ' }, codes: ['KF-RULE-001'] },
  { reason: 'an unknown project role', kind: 'access', decl: { role: 'owner' }, codes: ['KF-RULE-030'] },
  { reason: 'a known project role passes', kind: 'access', decl: { role: 'viewer' }, codes: [] },
];

/**
 * The rulebook's own verdict on a declaration: what every layer must say. `api` asks the rules the
 * way the API meets the declaration (a schedule reaches it as a rotation's `grace_period_seconds`).
 */
function rulebook(row: Row, api = false): Verdict {
  const out: Finding[] = [];
  if (row.kind === 'key') {
    const d = row.decl;
    out.push(...nameRule(d.name ?? 'svc'), ...choiceRule('type', d.type ?? 'secret', KEY_TYPES));
    if (d.mode !== undefined) out.push(...choiceRule('mode', d.mode, KEY_MODES));
    if (d.scopes) out.push(...scopesRule(d.scopes));
    if (d.description !== undefined) out.push(...descriptionRule(d.description));
    if (d.expiresAt !== undefined) out.push(...timestampRule('expires_at', d.expiresAt));
    if (d.every !== undefined && !api) out.push(...rotationRule({ every: d.every, gracePeriod: d.grace }));
    if (d.delivery && !api) out.push(...deliveryVerdict(d.delivery));
    if (d.every !== undefined && api) out.push(...gracePeriodSecondsRule('grace_period_seconds', parseDuration(d.grace ?? '24h') ?? 0));
  } else if (row.kind === 'authorization') {
    const d = row.decl;
    out.push(...nameRule(d.name ?? 'assistant'));
    if (d.kind !== undefined) out.push(...choiceRule('kind', d.kind, AUTHORIZATION_KINDS));
    if (d.capabilities) out.push(...capabilitiesRule(d.capabilities));
  } else {
    out.push(...choiceRule('role', row.decl.role, ROLES));
  }
  return out;
}

/** The delivery rules as the provider asks them (`secret_delivery`), in its order. */
function deliveryVerdict(d: DeliveryDecl): Verdict {
  const env = Object.keys(d.env ?? {});
  const inherit = d.inheritEnv ?? [];
  const timeout = d.timeout === undefined ? [] : deliveryTimeoutRule('timeout', d.timeout);
  return [
    ...deliveryTargetRule('secret_delivery', d.file, d.command),
    ...(d.env ? [...deliveryCommandOnlyRule('env', env.length > 0, d.file, d.command), ...deliveryEnvNamesRule('env', env)] : []),
    ...(d.inheritEnv ? [...deliveryCommandOnlyRule('inherit_env', inherit.length > 0, d.file, d.command), ...deliveryEnvNamesRule('inherit_env', inherit)] : []),
    ...(d.timeout === undefined ? [] : timeout.length ? timeout : deliveryCommandOnlyRule('timeout', true, d.file, d.command)),
  ];
}

const codesIn = (texts: readonly string[]): string[] => texts.flatMap((t) => [...t.matchAll(/\b(KF-RULE-\d{3})\b/g)].map((m) => m[1]));

/** The constructs' verdict: synth-time validation of the declared construct (or what its API throws). */
function constructsCodes(row: Row): string[] {
  const { stack } = newStack();
  try {
    build(stack, row);
  } catch (err) {
    return codesIn([(err as Error).message]);
  }
  return codesIn(validationErrors(stack));
}

function build(stack: TerraformStack, row: Row): void {
  if (row.kind === 'key') {
    const d = row.decl;
    new ApiKey(stack, 'key', {
      name: d.name ?? 'svc',
      type: (d.type ?? KeyType.SECRET) as KeyType,
      mode: d.mode as KeyMode | undefined,
      scopes: d.scopes?.map((s) => Scope.parse(s)),
      description: d.description,
      expiresAt: d.expiresAt,
      rotation: d.every === undefined ? undefined : { every: Duration.parse(d.every), gracePeriod: d.grace === undefined ? undefined : Duration.parse(d.grace) },
      secretDelivery: d.delivery && { ...d.delivery, timeout: d.delivery.timeout === undefined ? undefined : Duration.parse(d.delivery.timeout) },
    });
  } else if (row.kind === 'authorization') {
    const d = row.decl;
    new OAuthAuthorization(stack, 'auth', {
      name: d.name ?? 'assistant',
      ownerId: 'usr_alice',
      kind: d.kind as AuthorizationKind | undefined,
      capabilities: d.capabilities?.map((c) => Capability.of(c)),
    });
  } else {
    new ProjectAccess(stack, 'access', { authorizationId: 'auth_1', projectId: 'proj_support', role: row.decl.role as ProjectRole });
  }
}

const service = new ProviderService(keyformProvider, createLogger('test', 'off', () => undefined));

/** A config of a schema: every attribute and block null unless given. */
function configOf(schema: BlockSchema, given: TfObject): TfObject {
  const out: TfObject = {};
  for (const name of Object.keys(schema.attributes)) out[name] = null;
  for (const name of Object.keys(schema.blocks ?? {})) out[name] = null;
  return { ...out, ...given };
}

/** The provider's verdict: the codes of the diagnostics ValidateResourceConfig answers. */
async function providerCodes(row: Row): Promise<string[]> {
  let type: string;
  let given: TfObject;
  if (row.kind === 'key') {
    const d = row.decl;
    type = 'keyform_api_key';
    given = {
      name: d.name ?? 'svc',
      type: d.type ?? 'secret',
      mode: d.mode ?? null,
      scopes: d.scopes ?? null,
      description: d.description ?? null,
      expires_at: d.expiresAt ?? null,
      rotation: d.every === undefined ? null : { every: d.every, grace_period: d.grace ?? null },
      secret_delivery: d.delivery
        ? { file: d.delivery.file ?? null, command: d.delivery.command ?? null, env: d.delivery.env ?? null, inherit_env: d.delivery.inheritEnv ?? null, timeout: d.delivery.timeout ?? null }
        : null,
    };
  } else if (row.kind === 'authorization') {
    type = 'keyform_oauth_authorization';
    given = { name: row.decl.name ?? 'assistant', owner_id: 'usr_alice', kind: row.decl.kind ?? null, capabilities: row.decl.capabilities ?? null };
  } else {
    type = 'keyform_project_access';
    given = { authorization_id: 'auth_1', project_id: 'proj_support', role: row.decl.role };
  }
  const schema = keyformProvider.resources[type].schema;
  const res = await service.handle('ValidateResourceConfig', { type_name: type, config: { msgpack: encodeBlock(schema, configOf(schema, given)) } });
  const diagnostics = (res.diagnostics ?? []) as Array<{ detail?: string }>;
  return codesIn(diagnostics.map((d) => d.detail ?? ''));
}

let server: TestServer;
let admin: ReturnType<typeof as>;

beforeAll(async () => {
  server = await startTestServer();
  admin = as(server.url, await server.adminToken());
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

/** The server's answer to the declaration: its status and its error messages. */
async function serverAnswer(row: Row): Promise<{ status: number; errors: string[] }> {
  let res;
  if (row.kind === 'key') {
    const d = row.decl;
    const body: Record<string, unknown> = { mid: 'mid_123456', name: d.name ?? 'svc', type: d.type ?? 'secret' };
    if (d.mode !== undefined) body.mode = d.mode;
    if (d.scopes) body.scopes = d.scopes;
    if (d.description !== undefined) body.description = d.description;
    if (d.expiresAt !== undefined) body.expires_at = d.expiresAt;
    res = await admin.post('/v1/api-keys', body);
    if (res.status === 201 && d.every !== undefined) {
      // What the provider sends when the rotation is due: the declared (or default) grace period in seconds.
      res = await admin.post(`/v1/api-keys/${res.body.id}/rotate`, { grace_period_seconds: parseDuration(d.grace ?? '24h') ?? d.grace });
    }
  } else if (row.kind === 'authorization') {
    const d = row.decl;
    const body: Record<string, unknown> = { name: d.name ?? 'assistant', kind: d.kind ?? 'oauth2', owner_id: 'usr_alice' };
    if (d.capabilities) body.capabilities = d.capabilities;
    res = await admin.post('/v1/authorizations', body);
  } else {
    res = await admin.post('/v1/authorizations', { name: 'access', kind: 'oauth2', owner_id: 'usr_alice', project_access: [{ project_id: 'proj_support', role: row.decl.role }] });
  }
  return { status: res.status, errors: res.status < 300 ? [] : (res.body?.errors ?? [res.text]) };
}

describe('one rulebook: the constructs, the provider and the server give the same verdict and code', () => {
  test.each(ROWS)('$reason', async (row) => {
    const verdict = rulebook(row);
    expect(verdict.map((f) => f.code)).toEqual(row.codes);

    if (row.not?.constructs === undefined) expect({ layer: 'constructs', codes: constructsCodes(row) }).toEqual({ layer: 'constructs', codes: row.codes });
    if (row.not?.provider === undefined) expect({ layer: 'provider', codes: await providerCodes(row) }).toEqual({ layer: 'provider', codes: row.codes });
    if (row.not?.server === undefined) {
      expect(rulebook(row, true).map((f) => f.code)).toEqual(row.codes);
      const answer = await serverAnswer(row);
      expect({ layer: 'server', ok: answer.status < 300, errors: answer.errors }).toEqual({
        layer: 'server',
        ok: row.codes.length === 0,
        errors: [...new Set(rulebook(row, true).map((f) => f.api))],
      });
      if (row.codes.length) expect(answer.status).toBe(400);
    }
  });

  test('every layer is exercised for most rows', () => {
    const skipped = ROWS.filter((r) => r.not !== undefined).length;
    expect(skipped).toBeLessThan(ROWS.length / 3);
  });
});
