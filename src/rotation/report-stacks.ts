/**
 * The stacks a read-only report (`keyform rotation-report`, `keyform hygiene`) covers: each argument
 * is a state file, a Terraform working directory, or a directory of such directories (a split
 * estate's `stacks/`, `cdktf.out/stacks`, a CI matrix's checkouts). Each becomes a named stack, named
 * as `keyform review` names it: the CDKTF stack name, else the directory's name, made unique by its
 * path when two stacks share a name.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { readStackSources, stackNameOf } from '../review/stack-sources';

/** One stack of a report. */
export interface ReportStack {
  /** The stack's name in the report. */
  readonly name: string;
  /** Where its state comes from: a state file (`-` for stdin), or a working directory read with `terraform show -json`. */
  readonly kind: 'state' | 'dir';
  /** The argument (or the directory found under it). */
  readonly path: string;
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Whether `dir` is a Terraform working directory (configuration, an initialized `.terraform`, a local
 * state) or a cdktf project (main.ts).
 */
export function isStackDirectory(dir: string): boolean {
  if (existsSync(resolve(dir, '.terraform')) || existsSync(resolve(dir, 'terraform.tfstate')) || existsSync(resolve(dir, 'main.ts'))) return true;
  try {
    return readdirSync(dir).some((n) => n.endsWith('.tf') || n.endsWith('.tf.json'));
  } catch {
    return false;
  }
}

/** A state file's stack name: `terraform.<stack>.tfstate` (cdktf's local backend) names it; else its directory does. */
function stateStackName(path: string): string {
  const m = /^terraform\.(.+)\.tfstate$/.exec(basename(path));
  if (m) return m[1];
  const dir = dirname(resolve(path));
  return stackNameOf(dir, readStackSources(dir));
}

/**
 * The stacks `args` stand for, in argument order (a directory of stacks in name order).
 * @param noStack the report's own error for a directory that is neither a stack nor holds one
 */
export function resolveReportStacks(args: readonly string[], noStack: (dir: string) => Error): ReportStack[] {
  const found: Array<{ kind: 'state' | 'dir'; path: string }> = [];
  for (const arg of args) {
    if (arg === '-' || !isDir(arg)) {
      found.push({ kind: 'state', path: arg });
      continue;
    }
    if (isStackDirectory(arg)) {
      found.push({ kind: 'dir', path: arg });
      continue;
    }
    const nested = readdirSync(arg)
      .sort()
      .map((n) => join(arg, n))
      .filter((d) => isDir(d) && isStackDirectory(d));
    if (!nested.length) throw noStack(arg);
    for (const d of nested) found.push({ kind: 'dir', path: d });
  }
  const named = found.map((s) => ({
    ...s,
    name: s.path === '-' ? 'stdin' : s.kind === 'state' ? stateStackName(s.path) : stackNameOf(resolve(s.path), readStackSources(resolve(s.path))),
  }));
  // The same directory named twice is one stack, reported once.
  const seen = new Set<string>();
  const unique = named.filter((s) => {
    const key = `${s.kind}:${s.path === '-' ? '-' : resolve(s.path)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const counts = new Map<string, number>();
  for (const s of unique) counts.set(s.name, (counts.get(s.name) ?? 0) + 1);
  return unique.map((s) => ((counts.get(s.name) ?? 0) > 1 && s.path !== '-' ? { ...s, name: relative(process.cwd(), resolve(s.path)) || basename(process.cwd()) } : s));
}
