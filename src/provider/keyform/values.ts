/** Reading and writing the plain Terraform values of framework.ts. */
import { AttributePath, Diagnostic, DiagnosticError, TfObject, TfValue, UNKNOWN } from '../framework';
import { HandlerError, Problem } from '../../handler';

/** A known string, else undefined (null or unknown). */
export function str(v: TfValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** A known bool, else undefined. */
export function bool(v: TfValue | undefined): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

/** The known strings of a list or set (unknown members skipped); undefined when null or unknown. */
export function strings(v: TfValue | undefined): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.filter((x): x is string => typeof x === 'string');
}

/** Whether a list or set is wholly known. */
export function fullyKnown(v: TfValue | undefined): boolean {
  if (v === UNKNOWN) return false;
  if (Array.isArray(v)) return v.every(fullyKnown);
  if (v && typeof v === 'object') return Object.values(v).every(fullyKnown);
  return true;
}

/** A single nested block as an object, else undefined. */
export function block(v: TfValue | undefined): TfObject | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as TfObject) : undefined;
}

/** Sorted distinct strings: the stable form of a set. */
export function sortedSet(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/** Handler problems as diagnostics. */
export function problemsToDiagnostics(problems: readonly Problem[], severity: 'error' | 'warning' = 'error'): Diagnostic[] {
  return problems.map((p) => ({ severity, summary: p.message.summary, detail: `${p.message.detail} [${p.message.code}]`, attribute: p.path as AttributePath }));
}

/** Runs an operation; turns a HandlerError into a diagnostic (with its attribute path). */
export async function diagnosed<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof HandlerError) {
      throw new DiagnosticError([{ severity: 'error', summary: err.summary, detail: `${err.detail} [${err.code}]`, ...(err.path ? { attribute: err.path } : {}) }]);
    }
    throw err;
  }
}

/** An error diagnostic from a handler message. */
export function fail(message: { code: string; summary: string; detail: string }, attribute?: AttributePath): never {
  throw new DiagnosticError([{ severity: 'error', summary: message.summary, detail: `${message.detail} [${message.code}]`, ...(attribute ? { attribute } : {}) }]);
}

/** Whether a planned value changed from its prior value (unknown counts as changed). */
export function changed(prior: TfValue | undefined, next: TfValue | undefined): boolean {
  if (next === UNKNOWN) return true;
  return JSON.stringify(prior ?? null) !== JSON.stringify(next ?? null);
}
