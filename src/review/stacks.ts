/**
 * Several plans, one review: each plan argument (a plan file, a stack directory holding one, or a
 * directory of stack directories) becomes a reviewed stack with its name and sources; stacks are
 * ordered highest risk first.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { riskRank } from './change-class';
import type { Review } from './classify';
import { reviewPlan } from './classify';
import { loadPlan, type LoadPlanOptions } from './load-plan';
import { reviewMessages } from './messages';
import { readReviewDocument } from './review-document';
import { NO_SOURCES, readStackSources, stackNameOf, type StackSources } from './stack-sources';

/** File names a stack directory's saved plan is looked up by, in order. */
export const PLAN_FILE_NAMES = ['tfplan', 'plan.tfplan', 'tfplan.json', 'plan.json', 'review.json'] as const;

/** One reviewed stack. */
export interface StackReview {
  /** The stack's name: the CDKTF stack name, else its directory's name (made unique in a report). */
  readonly name: string;
  /** The plan as given on the command line (or found in a given directory), `-` for stdin. */
  readonly planPath: string;
  readonly review: Review;
  readonly sources: StackSources;
  /** The raw plan document, for secret collection. */
  readonly raw: unknown;
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function planIn(dir: string): string | undefined {
  for (const name of PLAN_FILE_NAMES) {
    const p = join(dir, name);
    try {
      if (statSync(p).isFile()) return p;
    } catch {
      // not there: try the next name
    }
  }
  return undefined;
}

/**
 * The plan files an argument stands for: a file itself; a directory holding a plan (see
 * {@link PLAN_FILE_NAMES}); or a directory whose subdirectories hold one each (e.g. `cdktf.out/stacks`,
 * or the artifacts of a CI matrix), in name order.
 */
export function resolvePlanArgument(arg: string): string[] {
  if (arg === '-' || !isDir(arg)) return [arg];
  const own = planIn(arg);
  if (own) return [own];
  const nested = readdirSync(arg)
    .sort()
    .map((n) => join(arg, n))
    .filter(isDir)
    .map(planIn)
    .filter((p): p is string => p !== undefined);
  if (!nested.length) throw reviewMessages.noPlanInDirectory(arg, PLAN_FILE_NAMES);
  return nested;
}

/** The highest risk of a stack's findings (lower is riskier); stacks without changes sort last. */
export function stackRisk(s: StackReview): number {
  return Math.min(Number.MAX_SAFE_INTEGER, ...s.review.findings.map((f) => riskRank(f.class)));
}

/** Number of LIVE findings of a stack. */
function liveCount(s: StackReview): number {
  return s.review.findings.filter((f) => f.live === true).length;
}

/** Stacks highest risk first, then more LIVE findings, then by name. */
export function rankStacks(stacks: readonly StackReview[]): StackReview[] {
  return [...stacks].sort((a, b) => stackRisk(a) - stackRisk(b) || liveCount(b) - liveCount(a) || a.name.localeCompare(b.name));
}

/** Loads and reviews every plan the arguments stand for. */
export async function loadStacks(args: readonly string[], opts: LoadPlanOptions = {}): Promise<StackReview[]> {
  if (!args.length) throw reviewMessages.noPlan();
  if (args.filter((a) => a === '-').length > 1) throw reviewMessages.stdinTwice();
  const paths = args.flatMap(resolvePlanArgument);
  const stacks: StackReview[] = [];
  for (const planPath of paths) {
    const loaded = await loadPlan(planPath, opts);
    // A review report of a stack planned elsewhere (a CI matrix job): its stacks, as reviewed there.
    if (loaded.review) {
      stacks.push(...readReviewDocument(loaded.review, planPath));
      continue;
    }
    const { plan, raw } = loaded;
    const dir = planPath === '-' ? undefined : dirname(resolve(planPath));
    const sources = dir ? readStackSources(dir) : NO_SOURCES;
    const name = dir ? stackNameOf(dir, sources) : 'stdin';
    stacks.push({ name, planPath, review: reviewPlan(plan), sources, raw });
  }
  // Two stacks with the same name (two `main` directories): tell them apart by their path.
  const counts = new Map<string, number>();
  for (const s of stacks) counts.set(s.name, (counts.get(s.name) ?? 0) + 1);
  return stacks.map((s) =>
    (counts.get(s.name) ?? 0) > 1 && s.planPath !== '-' ? { ...s, name: relative(process.cwd(), dirname(resolve(s.planPath))) || basename(process.cwd()) } : s,
  );
}
