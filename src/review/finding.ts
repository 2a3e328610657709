/**
 * A finding: one thing a reviewer should know about one resource change, as structured parts that
 * each output format renders its own way (code spans in Markdown, plain words in a terminal).
 */
import type { ChangeClass } from './change-class';
import type { PlanAction } from './plan-json';

/** One piece of a sentence: plain words, an identifier, or a value known only after apply. */
export type Part = string | { readonly code: string } | { readonly unknown: true };

/** An identifier part. */
export function code(text: string): Part {
  return { code: text };
}

/** The "(known after apply)" part. */
export const KNOWN_AFTER_APPLY: Part = { unknown: true };

/** Joins lists of parts: `a`, `b` and `c`. */
export function list(items: readonly Part[][], conj = 'and'): Part[] {
  const out: Part[] = [];
  items.forEach((item, i) => {
    if (i > 0) out.push(i === items.length - 1 ? ` ${conj} ` : ', ');
    out.push(...item);
  });
  return out;
}

/** Whether a credential reaches live data: yes, no, or not known until apply. */
export type Liveness = true | false | 'unknown';

/** One classified fact about a change. */
export interface Finding {
  readonly class: ChangeClass;
  /** Terraform address of the resource instance. */
  readonly address: string;
  readonly resourceType: string;
  readonly actions: readonly PlanAction[];
  /** Who the sentence is about, e.g. `authorization `claude-code``. */
  readonly subject: readonly Part[];
  /** Stable key of the subject, to merge findings about the same credential. */
  readonly subjectKey: string;
  readonly live: Liveness;
  /** What happens to the subject, e.g. `gains `refunds:write``. */
  readonly predicate: readonly Part[];
}
