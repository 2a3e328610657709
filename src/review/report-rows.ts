/**
 * The rows every output format shows: findings of the same class about the same credential merged
 * into one sentence ("authorization `claude-code` gains `secrets:edit`; may now reach MCP server
 * `billing-flow`"), classes in risk order.
 */
import type { ChangeClass } from './change-class';
import { CHANGE_CLASSES, CLASS_INFO } from './change-class';
import type { Review } from './classify';
import type { Finding, Liveness, Part } from './finding';

/** One row of a class table. */
export interface ReportRow {
  readonly class: ChangeClass;
  readonly live: Liveness;
  readonly subject: readonly Part[];
  /** Predicates of the merged findings, in order. */
  readonly predicates: ReadonlyArray<readonly Part[]>;
  /** Terraform addresses involved, in order, without repeats. */
  readonly addresses: readonly string[];
}

/** One class with its rows. */
export interface ReportSection {
  readonly class: ChangeClass;
  readonly title: string;
  readonly rows: readonly ReportRow[];
}

function mergeLive(a: Liveness, b: Liveness): Liveness {
  if (a === true || b === true) return true;
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return false;
}

/** Groups ranked findings (default: the review's own) into sections, highest risk first, of merged rows. */
export function reportSections(review: Review, findings: readonly Finding[] = review.findings): ReportSection[] {
  const sections: ReportSection[] = [];
  for (const cls of CHANGE_CLASSES) {
    const rows: Array<{ -readonly [K in keyof ReportRow]: ReportRow[K] }> = [];
    const byKey = new Map<string, (typeof rows)[number]>();
    for (const f of findings.filter((x: Finding) => x.class === cls)) {
      const existing = byKey.get(f.subjectKey);
      if (existing) {
        existing.predicates = [...existing.predicates, f.predicate];
        existing.live = mergeLive(existing.live, f.live);
        if (!existing.addresses.includes(f.address)) existing.addresses = [...existing.addresses, f.address];
        continue;
      }
      const row = { class: cls, live: f.live, subject: f.subject, predicates: [f.predicate], addresses: [f.address] };
      byKey.set(f.subjectKey, row);
      rows.push(row);
    }
    if (rows.length) sections.push({ class: cls, title: CLASS_INFO[cls].title, rows });
  }
  return sections;
}

/** The sentence of a row as parts: subject, LIVE mark, predicates joined by `; `. */
export function rowSentence(row: ReportRow): Part[] {
  const mark: Part[] = row.live === true ? [' (LIVE)'] : row.live === 'unknown' ? [' (maybe LIVE)'] : [];
  const out: Part[] = [...row.subject, ...mark, ' '];
  row.predicates.forEach((p, i) => {
    if (i > 0) out.push('; ');
    out.push(...p);
  });
  return out;
}

/** Counts for the summary line. */
export interface ReportSummary {
  readonly resources: number;
  readonly rows: number;
  readonly live: number;
  readonly byClass: Readonly<Partial<Record<ChangeClass, number>>>;
}

/** Summarizes sections. */
export function reportSummary(review: Review, sections: readonly ReportSection[]): ReportSummary {
  const byClass: Partial<Record<ChangeClass, number>> = {};
  let rows = 0;
  let live = 0;
  for (const s of sections) {
    byClass[s.class] = s.rows.length;
    rows += s.rows.length;
    live += s.rows.filter((r) => r.live === true).length;
  }
  return { resources: review.changedResources, rows, live, byClass };
}

/** `2 escalation, 1 new live credential` in risk order. */
export function classCounts(summary: ReportSummary): string {
  return CHANGE_CLASSES.filter((c) => summary.byClass[c])
    .map((c) => `${summary.byClass[c]} ${CLASS_INFO[c].title.toLowerCase()}`)
    .join(', ');
}
