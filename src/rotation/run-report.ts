/** The whole rotation report: gather keys, assess them at `now`, render, and pick the exit code. */
import { assessKeys } from './schedule';
import type { DefaultPolicy } from './schedule';
import { requireDuration, DurationError } from './duration';
import { EXIT_ROTATION_DUE, rotationMessages } from './messages';
import { REPORT_FORMATS, renderRotationReport } from './render-report';
import type { ReportFormat } from './render-report';
import type { KeyRecord } from './state-keys';
import { loadStateKeys, loadWorkingDirKeys } from './state-keys';
import { loadApiKeys, mergeWithState } from './api-keys';
import { Scrubber } from '../review/secret-scrub';
import { resolveReportStacks, type ReportStack } from './report-stacks';
import { renderRotationStacks } from './render-stacks';
import { reportFormat, reportTime, type ReportInputs } from './report-inputs';

/**
 * Options of {@link runRotationReport}. `state` may also be `-` for stdin; `dir` may be a directory
 * of stacks; without state, directory, stacks or endpoint, the working directory is read with
 * `terraform show -json`.
 */
export interface RotationReportOptions extends ReportInputs {
  /** Policy for keys without a declared rotation (API keys not in state). */
  readonly every?: string;
  readonly gracePeriod?: string;
  readonly stdin?: NodeJS.ReadableStream;
  /**
   * Stacks to report on together (state files, working directories, directories of stacks); with
   * more than one, the report has a summary over all of them and a section per stack, and the exit
   * code covers their union. `state` and `dir`, when given, are stacks too.
   */
  readonly stacks?: readonly string[];
  /** Progress while listing from the API. */
  readonly onProgress?: (count: number) => void;
}

/** What the command prints and its exit code. */
export interface RotationReportOutput {
  readonly report: string;
  /** 0 when nothing is due, {@link EXIT_ROTATION_DUE} when a key is due or overdue. */
  readonly exitCode: number;
  readonly notice?: string;
}

/** Runs the report. */
export async function runRotationReport(opts: RotationReportOptions): Promise<RotationReportOutput> {
  const format = reportFormat<ReportFormat>(REPORT_FORMATS, opts.format, rotationMessages.badFormat);
  const now = reportTime(opts.now, rotationMessages.badNow);
  let fallback: DefaultPolicy | undefined;
  try {
    if (opts.every) requireDuration(opts.every, '--every');
    if (opts.gracePeriod) requireDuration(opts.gracePeriod, '--grace-period');
  } catch (e) {
    if (e instanceof DurationError) throw rotationMessages.badDuration(e.message);
    throw e;
  }
  if (opts.every) fallback = { every: opts.every, gracePeriod: opts.gracePeriod };

  const args = [...(opts.stacks ?? []), ...(opts.state ? [opts.state] : []), ...(opts.dir ? [opts.dir] : [])];
  const stacks = args.length ? resolveReportStacks(args, rotationMessages.noStack) : [];
  if (stacks.filter((s) => s.path === '-').length > 1) throw rotationMessages.stdinTwice();
  let keys: KeyRecord[];
  const state = stacks.length ? await loadStackKeys(stacks, opts) : undefined;
  if (opts.endpoint) {
    const api = await loadApiKeys(
      { endpoint: opts.endpoint, token: opts.token, clientId: opts.clientId, clientSecret: opts.clientSecret, mid: opts.mid },
      opts.onProgress,
    );
    keys = state ? mergeWithState(api, state) : api;
  } else {
    keys = state ?? (await loadWorkingDirKeys(process.cwd(), opts.terraform));
    if (opts.mid) keys = keys.filter((k) => k.mid === opts.mid);
  }
  const rows = assessKeys(keys, now, fallback);
  const scrubber = new Scrubber([opts.token ?? '', opts.clientSecret ?? '']);
  const report = stacks.length > 1 ? renderRotationStacks(rows, stacks, now, format, scrubber) : renderRotationReport(rows, now, format, scrubber);
  const due = rows.filter((r) => r.status === 'due').length;
  const overdue = rows.filter((r) => r.status === 'overdue').length;
  return due + overdue > 0 ? { report, exitCode: EXIT_ROTATION_DUE, notice: rotationMessages.dueNotice(due, overdue) } : { report, exitCode: 0 };
}

/**
 * The keys of every stack; with several stacks each key carries its stack's name (one stack reads
 * exactly as `--state`/`--dir` always did).
 */
async function loadStackKeys(stacks: readonly ReportStack[], opts: RotationReportOptions): Promise<KeyRecord[]> {
  const out: KeyRecord[] = [];
  for (const s of stacks) {
    const keys = s.kind === 'state' ? await loadStateKeys(s.path, opts.stdin) : await loadWorkingDirKeys(s.path, opts.terraform);
    out.push(...(stacks.length > 1 ? keys.map((k) => ({ ...k, stack: s.name })) : keys));
  }
  return out;
}
