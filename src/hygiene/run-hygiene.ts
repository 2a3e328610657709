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

/** Options of {@link runHygiene}. */
export interface HygieneOptions extends ReportInputs {
  /** Keys unused for longer than this are reported (default 30d). */
  readonly unusedAfter?: string;
  /** Keys expiring within this are reported (default 14d). */
  readonly expiringWithin?: string;
  /** Only this owner's authorizations, each listed. */
  readonly owner?: string;
  readonly onProgress?: (what: string, n: number) => void;
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
  if (!opts.endpoint && !opts.state && !opts.dir) throw hygieneMessages.noSource();

  const stateDoc = opts.state ? readStateFile(opts.state) : opts.dir ? await readDirState(opts.dir, opts.terraform) : undefined;
  const resources = stateDoc === undefined ? [] : resourcesOfState(stateDoc);
  const stateKeys = keysFromState(resources);
  const stateAuths = authorizationsFromState(resources);
  const notices: string[] = [];
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
      return { ...k, address: d?.address ?? null, rotation: stateDoc === undefined ? undefined : (d?.rotation ?? null) };
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
  if (!opts.owner) {
    for (const k of keys) {
      for (const f of [checkExpiry(k, now, expiringS * 1000), checkRotation(k, now), checkLiveWithoutExpiryOrRotation(k), checkUnusedKey(k, now, windowStart), checkUnusedScopes(k)]) {
        if (f) findings.push(f);
      }
    }
  }
  for (const a of auths) {
    const f = checkOwner(a, owners === undefined ? undefined : (owners.get(a.ownerId) ?? null), serverProjects);
    if (f) findings.push(f);
    if (opts.owner) findings.push(ownedBy(a));
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

  const changes = findings.filter((f) => f.kind === 'unused-scopes' && f.subject.address && f.scopes).map((f) => ({ address: f.subject.address!, scopes: f.scopes!.narrower }));
  const suggestions = opts.dir && changes.length ? suggestScopeChanges(opts.dir, changes) : [];
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f.kind] = (counts[f.kind] ?? 0) + 1;
  const data: HygieneReport = {
    format: HYGIENE_JSON_FORMAT,
    generated_at: now.toISOString(),
    window: { unused_after: formatDuration(unusedS), since, expiring_within: formatDuration(expiringS) },
    sources: { api: opts.endpoint ?? null, state: opts.state ?? opts.dir ?? null },
    notices,
    summary: { keys: opts.owner ? 0 : keys.length, authorizations: auths.length, findings: counts },
    findings,
    owners: ownerRows,
    suggestions,
  };
  const report = renderHygiene(data, format, new Scrubber([opts.token ?? '', opts.clientSecret ?? '']));
  return { report, data, exitCode: findings.length ? EXIT_FINDINGS : 0 };
}
