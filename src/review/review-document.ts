/**
 * Reads back a `keyform review --format json` report in place of a plan, so several stacks planned by
 * separate CI jobs (a matrix) can be reviewed as one report without moving any plan (plans hold
 * secrets; the report does not). Everything is checked: a report is input like any other.
 */
import { isChangeClass } from './change-class';
import type { Review } from './classify';
import { rankFindings } from './classify';
import type { Finding, Liveness, Part } from './finding';
import { reviewMessages } from './messages';
import type { PlanAction } from './plan-json';
import { REVIEW_JSON_FORMAT } from './render-json';
import type { ResourceSource } from './stack-sources';
import { declarationAddress } from './stack-sources';
import type { StackReview } from './stacks';

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Whether a parsed document is a keyform review report (rather than a plan). */
export function isReviewDocument(doc: unknown): doc is Record<string, unknown> {
  return isObject(doc) && typeof doc.format === 'string' && doc.format.startsWith('keyform-review/');
}

/**
 * Characters keyform's own words never hold. A plain string part is rendered outside any code span,
 * so a report edited to carry Markdown or control characters there is refused, not rendered.
 */
const NOT_IN_OWN_WORDS = /[`*_<>[\]|\\#!~&\u0000-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/;

function parts(v: unknown): Part[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: Part[] = [];
  for (const p of v) {
    if (typeof p === 'string') {
      if (NOT_IN_OWN_WORDS.test(p)) return undefined;
      out.push(p);
    }
    else if (isObject(p) && typeof p.code === 'string' && Object.keys(p).length === 1) out.push({ code: p.code });
    else if (isObject(p) && p.unknown === true && Object.keys(p).length === 1) out.push({ unknown: true });
    else return undefined;
  }
  return out;
}

function finding(v: unknown): (Finding & { stack?: string; source?: ResourceSource }) | undefined {
  if (!isObject(v)) return undefined;
  const subject = parts(v.subject_parts);
  const predicate = parts(v.predicate_parts);
  const live: Liveness | undefined = v.live === true || v.live === false || v.live === 'unknown' ? v.live : undefined;
  if (
    typeof v.class !== 'string' ||
    !isChangeClass(v.class) ||
    typeof v.address !== 'string' ||
    typeof v.resource_type !== 'string' ||
    !Array.isArray(v.actions) ||
    !v.actions.every((a) => typeof a === 'string') ||
    typeof v.subject_key !== 'string' ||
    live === undefined ||
    !subject ||
    !predicate
  ) {
    return undefined;
  }
  const src = isObject(v.source) ? v.source : undefined;
  const source: ResourceSource | undefined = src
    ? {
        ...(typeof src.line === 'number' && Number.isInteger(src.line) && src.line > 0 ? { line: src.line } : {}),
        ...(typeof src.construct_path === 'string' ? { constructPath: src.construct_path } : {}),
      }
    : undefined;
  return {
    class: v.class,
    address: v.address,
    resourceType: v.resource_type,
    actions: v.actions as PlanAction[],
    subject,
    subjectKey: v.subject_key,
    live,
    predicate,
    ...(typeof v.stack === 'string' ? { stack: v.stack } : {}),
    ...(source ? { source } : {}),
  };
}

/** The stacks of a review report read from `path`; throws a clear error when it cannot be read back. */
export function readReviewDocument(doc: Record<string, unknown>, path: string): StackReview[] {
  const bad = (what: string) => reviewMessages.badReviewDocument(path, what);
  if (doc.format !== REVIEW_JSON_FORMAT) throw bad(`its format "${String(doc.format)}" is not ${REVIEW_JSON_FORMAT}`);
  if (!Array.isArray(doc.stacks) || !Array.isArray(doc.findings) || !Array.isArray(doc.drift)) throw bad('it has no `stacks`, `findings` or `drift` list');
  const read = (list: unknown[], what: string) =>
    list.map((v, i) => {
      const f = finding(v);
      if (!f) throw bad(`${what}[${i}] lacks its class, address, live mark or structured parts`);
      return f;
    });
  const findings = read(doc.findings, 'findings');
  const drift = read(doc.drift, 'drift');
  return doc.stacks.map((s, i) => {
    if (!isObject(s) || typeof s.name !== 'string') throw bad(`stacks[${i}] has no name`);
    const name = s.name;
    const mine = (f: { stack?: string }) => f.stack === name || (f.stack === undefined && doc.stacks instanceof Array && doc.stacks.length === 1);
    const own = findings.filter(mine);
    const resources = new Map<string, ResourceSource>();
    for (const f of [...own, ...drift.filter(mine)]) if (f.source) resources.set(declarationAddress(f.address), f.source);
    const review: Review = {
      findings: rankFindings(own),
      drift: rankFindings(drift.filter(mine)),
      changedResources: typeof s.changed_resources === 'number' ? s.changed_resources : new Set(own.map((f) => f.address)).size,
    };
    return { name, planPath: path, review, sources: { resources }, raw: doc };
  });
}
