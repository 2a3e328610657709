/**
 * Reads a saved plan: the JSON of `terraform show -json <planfile>`, or the binary plan file itself
 * (then Terraform converts it, run in the plan's directory where its providers are initialised).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { reviewMessages } from './messages';
import type { PlanJson } from './plan-json';
import { isReviewDocument } from './review-document';
import { Scrubber } from './secret-scrub';

/** Options of {@link loadPlan}. */
export interface LoadPlanOptions {
  /** Terraform executable for binary plans; default `terraform`. */
  readonly terraform?: string;
  /** Reads `-` from here instead of process.stdin (tests). */
  readonly stdin?: NodeJS.ReadableStream;
}

/**
 * A loaded plan and the raw document it came from (for secret collection), or a keyform review
 * report given in place of a plan (`review`, then `plan` is absent).
 */
export type LoadedPlan = { readonly plan: PlanJson; readonly raw: unknown; readonly review?: undefined } | { readonly plan?: undefined; readonly raw: unknown; readonly review: Record<string, unknown> };

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as string));
  return Buffer.concat(chunks);
}

/** Whether bytes start like a zip archive, which a binary Terraform plan is. */
function isZip(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function runTerraformShow(bin: string, planPath: string): Promise<string> {
  const dir = dirname(planPath);
  return new Promise((ok, fail) => {
    execFile(
      bin,
      ['show', '-json', '-no-color', basename(planPath)],
      { cwd: dir, maxBuffer: 1 << 30, env: { ...process.env, CHECKPOINT_DISABLE: '1' } },
      (err, stdout, stderr) => {
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') return fail(reviewMessages.terraformMissing(bin));
        if (err) return fail(reviewMessages.terraformFailed(dir, new Scrubber().scrub(String(stderr || err.message)).split('\n').filter(Boolean).slice(-6).join(' ')));
        ok(stdout);
      },
    );
  });
}

/** Checks that a parsed document is a plan and says what it is when not. */
export function asPlan(doc: unknown, label: string): PlanJson {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw reviewMessages.notAPlan(label, 'not a JSON object');
  const o = doc as Record<string, unknown>;
  if (typeof o.format_version !== 'string') {
    if (typeof o.version === 'number' && Array.isArray(o.resources)) throw reviewMessages.notAPlan(label, 'a Terraform state file');
    throw reviewMessages.notAPlan(label, 'JSON without a `format_version`');
  }
  if (!('resource_changes' in o) && !('planned_values' in o)) {
    throw reviewMessages.notAPlan(label, 'a `terraform show -json` state');
  }
  if ('resource_changes' in o && !Array.isArray(o.resource_changes)) throw reviewMessages.notAPlan(label, 'JSON whose `resource_changes` is not a list');
  return doc as PlanJson;
}

/** Loads a plan from a JSON file, a binary plan file, or `-` (stdin, JSON only); a keyform review report is returned as `review`. */
export async function loadPlan(path: string, opts: LoadPlanOptions = {}): Promise<LoadedPlan> {
  let bytes: Buffer;
  if (path === '-') bytes = await readAll(opts.stdin ?? process.stdin);
  else {
    try {
      bytes = await readFile(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'EISDIR') throw reviewMessages.fileNotFound(path);
      throw e;
    }
  }
  let text: string;
  if (isZip(bytes)) {
    if (path === '-') throw reviewMessages.notJsonOrPlan('stdin');
    text = await runTerraformShow(opts.terraform ?? 'terraform', resolve(path));
  } else text = bytes.toString('utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw reviewMessages.notJsonOrPlan(path === '-' ? 'stdin' : path);
  }
  if (isReviewDocument(raw)) return { raw, review: raw };
  return { plan: asPlan(raw, path === '-' ? 'stdin' : path), raw };
}
