/** Renders a review as JSON for other tools. */
import { CLASS_INFO, riskRank } from './change-class';
import type { Review } from './classify';
import { reportSections, reportSummary, rowSentence } from './report-rows';
import { plainText } from './render-text';
import { terminalSafeDeep } from './safe-text';
import type { Scrubber } from './secret-scrub';

/** Format identifier written into the document; bump when the shape changes. */
export const REVIEW_JSON_FORMAT = 'keyform-review/1';

/** The JSON report; every string passes through `scrubber` and {@link terminalSafeDeep}. */
export function renderJson(review: Review, scrubber: Scrubber): string {
  const sections = reportSections(review);
  const summary = reportSummary(review, sections);
  const doc = {
    format: REVIEW_JSON_FORMAT,
    summary: { resources: summary.resources, rows: summary.rows, live: summary.live, classes: summary.byClass },
    rows: sections.flatMap((s) =>
      s.rows.map((r) => ({
        class: s.class,
        title: CLASS_INFO[s.class].title,
        risk: riskRank(s.class),
        live: r.live,
        sentence: plainText(rowSentence(r)),
        addresses: r.addresses,
      })),
    ),
    drift: review.drift.map((f) => ({
      class: f.class,
      address: f.address,
      live: f.live,
      sentence: `${plainText(f.subject)} ${plainText(f.predicate)}`,
    })),
    findings: review.findings.map((f) => ({
      class: f.class,
      address: f.address,
      resource_type: f.resourceType,
      actions: f.actions,
      live: f.live,
      subject: plainText(f.subject),
      predicate: plainText(f.predicate),
    })),
  };
  // JSON escapes C0 controls itself; C1 controls and bidi overrides it keeps, and a tool may print them.
  return `${JSON.stringify(terminalSafeDeep(scrubber.scrubDeep(doc)), null, 2)}\n`;
}
