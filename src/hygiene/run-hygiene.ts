/** The whole of `keyform hygiene`: gather facts, run the checks, suggest changes, render, exit code. */
import { Scrubber } from '../review/secret-scrub';
import { DurationError, formatDuration, requireDuration } from '../rotation/duration';
import { reportFormat, reportTime, type ReportInputs } from '../rotation/report-inputs';
import { checkExpiry, checkLiveWithoutExpiryOrRotation, checkOwner, checkRotation, checkUnusedKey, checkUnusedScopes, ownedBy } from './checks';
import type { AuthorizationFacts, KeyFacts, OwnerFacts } from './facts';
import { EXIT_FINDINGS, hygieneMessages } from './messages';
import { HYGIENE_FORMATS, renderHygiene, type HygieneFormat } from './render';
import { FINDING_KINDS, HYGIENE_JSON_FORMAT, type Finding, type HygieneReport } from './report';
import { authorizationsFromState, keysFromState, loadApiFacts, readDirState, readStateFile, resourcesOfState } from './sources';
import { suggestScopeChanges } from './suggest';
import { resolveReportStacks, type ReportStack } from '../rotation/report-stacks';
import { NOT_IN_ANY_STACK, rankHygieneStacks } from './stacks';

/** Options of {@link runHygiene}. */
export interface HygieneOptions extends ReportInputs {
  /** Keys unused for longer than this are reported (default 30d). */
  readonly unusedAfter?: string;
  /** Keys expiring within this are reported (default 14d). */
  readonly expiringWithin?: string;
  /** Only this owner's authorizations, each listed. */
  readonly owner?: string;
  readonly onProgress?: (what: string, n: number) => void;
  /**
   * Stacks to inspect together (state files, working directories, directories of stacks); with more
   * than one, each finding names its stack, the report has a section per stack, and the exit code
   * covers their union. `state` and `dir`, when given, are stacks too.
   */
  readonly stacks?: readonly string[];
}

/** What the command prints and its exit code. */
export interface HygieneOutput {
  readonly report: string;
  readonly data: HygieneReport;
  /** 0 nothing found, {@link EXIT_FINDINGS} when something is. */
  readonly exitCode: number;
}

function duration(flag: string, text: string): number {
  try {
    return requireDuration(text, flag);
  } catch (e) {
    if (e instanceof DurationError) throw hygieneMessages.badDuration(flag, e.message);
    throw e;
  }
}

const RANK: Record<Finding['severity'], number> = { high: 0, medium: 1, info: 2 };

/** Runs the report. */
export async function runHygiene(opts: HygieneOptions): Promise<HygieneOutput> {
  const format = reportFormat<HygieneFormat>(HYGIENE_FORMATS, opts.format, hygieneMessages.badFormat);
  const now = reportTime(opts.now, hygieneMessages.badNow);
  const unusedS = duration('--unused-after', opts.unusedAfter ?? '30d');
  const expiringS = duration('--expiring-within', opts.expiringWithin ?? '14d');
  const windowStart = new Date(now.getTime() - unusedS * 1000);
  const since = windowStart.toISOString().slice(0, 10);
  const args = [...(opts.stacks ?? []), ...(opts.state ? [opts.state] : []), ...(opts.dir ? [opts.dir] : [])];
  if (!opts.endpoint && !args.length) throw hygieneMessages.noSource();
  const stacks = args.length ? resolveReportStacks(args, hygieneMessages.noStack) : [];
  const multi = stacks.length > 1;
  const stateKeys: KeyFacts[] = [];
  const stateAuths: AuthorizationFacts[] = [];
  for (const st of stacks) {
    const resources = resourcesOfState(st.kind === 'state' ? readStateFile(st.path) : await readDirState(st.path, opts.terraform));
    const tag = multi ? { stack: st.name } : {};
    stateKeys.push(...keysFromState(resources).map((k) => ({ ...k, ...tag })));
    stateAuths.push(...authorizationsFromState(resources).map((a) => ({ ...a, ...tag })));
  }
  const notices: string[] = multi ? declaredTwice(stateKeys, stateAuths) : [];
  let keys: KeyFacts[] = stateKeys;
  let auths: AuthorizationFacts[] = stateAuths;
  let owners: ReadonlyMap<string, OwnerFacts> | undefined;
  let serverProjects: ReadonlyMap<string, string> = new Map();
  if (opts.endpoint) {
    const api = await loadApiFacts({ endpoint: opts.endpoint, token: opts.token, clientId: opts.clientId, clientSecret: opts.clientSecret, mid: opts.mid, since }, opts.onProgress);
    notices.push(...api.notices);
    owners = api.owners;
    serverProjects = api.serverProjects;
    const declared = new Map(stateKeys.filter((k) => k.id).map((k) => [k.id!, k]));
    // The API knows status, usage and last use; the state knows the address and the rotation policy.
    keys = api.keys.map((k) => {
      const d = k.id ? declared.get(k.id) : undefined;
      return { ...k, address: d?.address ?? null, rotation: stacks.length ? (d?.rotation ?? null) : undefined, ...(d?.stack !== undefined ? { stack: d.stack } : {}) };
    });
    const declaredAuths = new Map(stateAuths.filter((a) => a.id).map((a) => [a.id!, a]));
    // What the configuration declares is what must stay backed by the owner; the API's copy otherwise.
    auths = api.authorizations.map((a) => {
      const d = a.id ? declaredAuths.get(a.id) : undefined;
      return d ? { ...d, mid: a.mid } : a;
    });
  } else {
    notices.push('no endpoint: last use, usage by scope and owners are not checked (set KEYFORM_ENDPOINT or pass --endpoint)');
    if (opts.mid) keys = keys.filter((k) => k.mid === opts.mid);
  }
  if (opts.owner) auths = auths.filter((a) => a.ownerId === opts.owner);

  const findings: Finding[] = [];
  // Over several stacks every finding names its stack (null: only the API has the object).
  const inStack = (f: Finding, of: KeyFacts | AuthorizationFacts): Finding => (multi ? { ...f, subject: { ...f.subject, stack: of.stack ?? null } } : f);
  if (!opts.owner) {
    for (const k of keys) {
      for (const f of [checkExpiry(k, now, expiringS * 1000), checkRotation(k, now), checkLiveWithoutExpiryOrRotation(k), checkUnusedKey(k, now, windowStart), checkUnusedScopes(k)]) {
        if (f) findings.push(inStack(f, k));
      }
    }
  }
  for (const a of auths) {
    const f = checkOwner(a, owners === undefined ? undefined : (owners.get(a.ownerId) ?? null), serverProjects);
    if (f) findings.push(inStack(f, a));
    if (opts.owner) findings.push(inStack(ownedBy(a), a));
  }
  const kindRank = (k: Finding['kind']) => FINDING_KINDS.indexOf(k);
  findings.sort((a, b) => RANK[a.severity] - RANK[b.severity] || kindRank(a.kind) - kindRank(b.kind) || a.subject.name.localeCompare(b.subject.name));

  const byOwner = new Map<string, AuthorizationFacts[]>();
  for (const a of auths) byOwner.set(a.ownerId, [...(byOwner.get(a.ownerId) ?? []), a]);
  const ownerRows = [...byOwner.entries()]
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([ownerId, list]) => ({
      owner_id: ownerId,
      authorizations: list.map((a) => ({ id: a.id, name: a.name })),
      findings: findings.filter((f) => f.subject.owner_id === ownerId && f.kind !== 'owned-by').length,
    }));

  const suggestions = stacks
    .filter((st) => st.kind === 'dir')
    .flatMap((st) => {
      const changes = findings
        .filter((f) => f.kind === 'unused-scopes' && f.subject.address && f.scopes && (!multi || f.subject.stack === st.name))
        .map((f) => ({ address: f.subject.address!, scopes: f.scopes!.narrower }));
      return changes.length ? suggestScopeChanges(st.path, changes).map((x) => (multi ? { ...x, stack: st.name } : x)) : [];
    });
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f.kind] = (counts[f.kind] ?? 0) + 1;
  const data: HygieneReport = {
    format: HYGIENE_JSON_FORMAT,
    generated_at: now.toISOString(),
    window: { unused_after: formatDuration(unusedS), since, expiring_within: formatDuration(expiringS) },
    sources: { api: opts.endpoint ?? null, state: multi ? null : (stacks[0]?.path ?? null) },
    notices,
    summary: { keys: opts.owner ? 0 : keys.length, authorizations: auths.length, findings: counts },
    findings,
    owners: ownerRows,
    suggestions,
    ...(multi ? { stacks: stackRows(stacks, keys, auths, findings) } : {}),
  };
  const report = renderHygiene(data, format, new Scrubber([opts.token ?? '', opts.clientSecret ?? '']));
  return { report, data, exitCode: findings.length ? EXIT_FINDINGS : 0 };
}

/** Notices for keys and authorizations that two stacks both declare (same id). */
function declaredTwice(keys: readonly KeyFacts[], auths: readonly AuthorizationFacts[]): string[] {
  const out: string[] = [];
  for (const [what, list] of [['key', keys], ['authorization', auths]] as const) {
    const byId = new Map<string, string[]>();
    for (const x of list) if (x.id && x.stack) byId.set(x.id, [...(byId.get(x.id) ?? []), x.stack]);
    for (const [id, names] of byId) if (new Set(names).size > 1) out.push(hygieneMessages.declaredTwice(what, id, [...new Set(names)]));
  }
  return out;
}

/** Per-stack counts, highest risk first; objects no stack declares form the last kind of row. */
function stackRows(stacks: readonly ReportStack[], keys: readonly KeyFacts[], auths: readonly AuthorizationFacts[], findings: readonly Finding[]): NonNullable<HygieneReport['stacks']> {
  const row = (name: string, source: string | null, stack: string | undefined) => {
    const mine = findings.filter((f) => (f.subject.stack ?? undefined) === stack);
    const counts: Record<string, number> = {};
    for (const f of mine) counts[f.kind] = (counts[f.kind] ?? 0) + 1;
    const severity = (['high', 'medium', 'info'] as const).find((s) => mine.some((f) => f.severity === s)) ?? null;
    return { name, source, keys: keys.filter((k) => k.stack === stack).length, authorizations: auths.filter((a) => a.stack === stack).length, highest_severity: severity, findings: counts };
  };
  const rows = stacks.map((st) => row(st.name, st.path, st.name));
  const loose = row(NOT_IN_ANY_STACK, null, undefined);
  if (loose.keys || loose.authorizations || Object.keys(loose.findings).length) rows.push(loose);
  return rankHygieneStacks(rows);
}
