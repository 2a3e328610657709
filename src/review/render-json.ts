/** Renders a review as JSON for other tools. */
import { CLASS_INFO, riskRank } from './change-class';
import { basename } from 'node:path';
import type { Review } from './classify';
import type { Finding, Part } from './finding';
import { declarationAddress } from './stack-sources';
import { rankFindings } from './classify';
import type { StackReview } from './stacks';
import { unionSummary } from './union';
import { reportSections, reportSummary, rowSentence } from './report-rows';
import { plainText } from './render-text';
import { terminalSafeDeep } from './safe-text';
import type { Scrubber } from './secret-scrub';

/** Format identifier written into the document; bump when the shape changes. */
export const REVIEW_JSON_FORMAT = 'keyform-review/1';

/** A sentence part as JSON: a string, `{code}` or `{unknown: true}` (what {@link readReviewDocument} reads back). */
function partsJson(parts: readonly Part[]): unknown[] {
  return parts.map((p) => (typeof p === 'string' ? p : 'code' in p ? { code: p.code } : { unknown: true }));
}

/** One finding with the structured parts that let another `keyform review` re-render it safely. */
function findingDoc(f: Finding, stack: StackReview | undefined) {
  const source = stack?.sources.resources.get(declarationAddress(f.address));
  return {
    ...(stack ? { stack: stack.name } : {}),
    class: f.class,
    address: f.address,
    resource_type: f.resourceType,
    actions: f.actions,
    live: f.live,
    subject: plainText(f.subject),
    predicate: plainText(f.predicate),
    subject_key: f.subjectKey,
    subject_parts: partsJson(f.subject),
    predicate_parts: partsJson(f.predicate),
    ...(source?.constructPath || source?.line ? { source: { ...(source.file ? { file: basename(source.file) } : {}), ...(source.line ? { line: source.line } : {}), ...(source.constructPath ? { construct_path: source.constructPath } : {}) } } : {}),
  };
}

/** The document of one plan; with `stack`, each entry names its stack and carries its source. */
function planDoc(review: Review, stack?: StackReview) {
  const sections = reportSections(review);
  const summary = reportSummary(review, sections);
  const tagged = stack === undefined ? {} : { stack: stack.name };
  return {
    summary: { resources: summary.resources, rows: summary.rows, live: summary.live, classes: summary.byClass },
    rows: sections.flatMap((s) =>
      s.rows.map((r) => ({
        ...tagged,
        class: s.class,
        title: CLASS_INFO[s.class].title,
        risk: riskRank(s.class),
        live: r.live,
        sentence: plainText(rowSentence(r)),
        addresses: r.addresses,
      })),
    ),
    drift: review.drift.map((f) => ({ ...findingDoc(f, stack), sentence: `${plainText(f.subject)} ${plainText(f.predicate)}` })),
    findings: review.findings.map((f) => findingDoc(f, stack)),
  };
}

function serialize(doc: unknown, scrubber: Scrubber): string {
  // JSON escapes C0 controls itself; C1 controls and bidi overrides it keeps, and a tool may print them.
  return `${JSON.stringify(terminalSafeDeep(scrubber.scrubDeep(doc)), null, 2)}\n`;
}

/** The JSON report of one plan; every string passes through `scrubber` and {@link terminalSafeDeep}. */
export function renderJson(review: Review, scrubber: Scrubber): string {
  return serialize({ format: REVIEW_JSON_FORMAT, ...planDoc(review) }, scrubber);
}

/**
 * The JSON report of stacks (given highest risk first): the summary over all stacks, `stacks` in
 * risk order, and every row, drift entry and finding with its `stack`. Secret-free, so a CI job can
 * keep it as an artifact and a later `keyform review` can take it in place of the plan (several
 * stacks reviewed by a matrix of jobs, one report).
 */
export function renderJsonStacks(stacks: readonly StackReview[], scrubber: Scrubber): string {
  const docs = stacks.map((s) => ({ stack: s, doc: planDoc(s.review, s) }));
  const { summary } = unionSummary(stacks);
  return serialize(
    {
      format: REVIEW_JSON_FORMAT,
      summary: { resources: summary.resources, rows: summary.rows, live: summary.live, classes: summary.byClass, stacks: stacks.length },
      stacks: docs.map(({ stack, doc }) => ({
        name: stack.name,
        plan: stack.planPath,
        highest_risk: stack.review.findings.length ? rankFindings(stack.review.findings)[0].class : null,
        changed_resources: stack.review.changedResources,
        summary: doc.summary,
      })),
      rows: docs.flatMap((d) => d.doc.rows),
      drift: docs.flatMap((d) => d.doc.drift),
      findings: docs.flatMap((d) => d.doc.findings),
    },
    scrubber,
  );
}
