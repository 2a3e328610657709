/** Renders a review as JSON for other tools. */
import { CLASS_INFO, riskRank } from './change-class';
import type { Review } from './classify';
import { rankFindings } from './classify';
import type { StackReview } from './stacks';
import { unionSummary } from './union';
import { reportSections, reportSummary, rowSentence } from './report-rows';
import { plainText } from './render-text';
import { terminalSafeDeep } from './safe-text';
import type { Scrubber } from './secret-scrub';

/** Format identifier written into the document; bump when the shape changes. */
export const REVIEW_JSON_FORMAT = 'keyform-review/1';

/** The document of one plan; `stack` adds a `stack` field to each entry. */
function planDoc(review: Review, stack?: string) {
  const sections = reportSections(review);
  const summary = reportSummary(review, sections);
  const tagged = stack === undefined ? {} : { stack };
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
    drift: review.drift.map((f) => ({
      ...tagged,
      class: f.class,
      address: f.address,
      live: f.live,
      sentence: `${plainText(f.subject)} ${plainText(f.predicate)}`,
    })),
    findings: review.findings.map((f) => ({
      ...tagged,
      class: f.class,
      address: f.address,
      resource_type: f.resourceType,
      actions: f.actions,
      live: f.live,
      subject: plainText(f.subject),
      predicate: plainText(f.predicate),
    })),
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
 * The JSON report of several stacks (given highest risk first): the summary over all stacks, every
 * row, drift entry and finding with its `stack`, and `stacks` in risk order. One stack renders as
 * {@link renderJson}.
 */
export function renderJsonStacks(stacks: readonly StackReview[], scrubber: Scrubber): string {
  if (stacks.length === 1) return renderJson(stacks[0].review, scrubber);
  const docs = stacks.map((s) => ({ stack: s, doc: planDoc(s.review, s.name) }));
  const { summary } = unionSummary(stacks);
  return serialize(
    {
      format: REVIEW_JSON_FORMAT,
      summary: { resources: summary.resources, rows: summary.rows, live: summary.live, classes: summary.byClass, stacks: stacks.length },
      stacks: docs.map(({ stack, doc }) => ({
        name: stack.name,
        plan: stack.planPath,
        highest_risk: stack.review.findings.length ? rankFindings(stack.review.findings)[0].class : null,
        summary: doc.summary,
      })),
      rows: docs.flatMap((d) => d.doc.rows),
      drift: docs.flatMap((d) => d.doc.drift),
      findings: docs.flatMap((d) => d.doc.findings),
    },
    scrubber,
  );
}
