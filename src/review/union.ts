/** Counts over several stacks: the summary line of a report that covers a whole estate. */
import type { ChangeClass } from './change-class';
import { reportSections, reportSummary, type ReportSummary } from './report-rows';
import type { StackReview } from './stacks';

/** The summary of every stack together, and the number of rows changed outside Terraform. */
export function unionSummary(stacks: readonly StackReview[]): { summary: ReportSummary; driftRows: number } {
  const byClass: Partial<Record<ChangeClass, number>> = {};
  let resources = 0;
  let rows = 0;
  let live = 0;
  let driftRows = 0;
  for (const s of stacks) {
    const one = reportSummary(s.review, reportSections(s.review));
    resources += one.resources;
    rows += one.rows;
    live += one.live;
    for (const [c, n] of Object.entries(one.byClass) as Array<[ChangeClass, number]>) byClass[c] = (byClass[c] ?? 0) + n;
    driftRows += reportSections(s.review, s.review.drift).reduce((n, x) => n + x.rows.length, 0);
  }
  return { summary: { resources, rows, live, byClass }, driftRows };
}
