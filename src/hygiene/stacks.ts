/** Hygiene over several stacks: which stack's findings come first in the report. */
import { NOT_IN_ANY_STACK } from '../rotation/render-stacks';
import type { HygieneReport } from './report';

export { NOT_IN_ANY_STACK };

/** One stack's row of the report. */
export type HygieneStackRow = NonNullable<HygieneReport['stacks']>[number];

const SEVERITY_RANK = { high: 0, medium: 1, info: 2 } as const;

const total = (r: HygieneStackRow) => Object.values(r.findings).reduce((n, x) => n + x, 0);

/** Stacks highest risk first: highest severity, then more findings, then by name. */
export function rankHygieneStacks(rows: readonly HygieneStackRow[]): HygieneStackRow[] {
  const rank = (r: HygieneStackRow) => (r.highest_severity === null ? 3 : SEVERITY_RANK[r.highest_severity]);
  return [...rows].sort((a, b) => rank(a) - rank(b) || total(b) - total(a) || a.name.localeCompare(b.name));
}
