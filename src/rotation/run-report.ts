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

/** Options of {@link runRotationReport}. */
export interface RotationReportOptions {
  /** A state file (raw or `terraform show -json`), or `-` for stdin. */
  readonly state?: string;
  /** Without state or endpoint: the Terraform working directory to read with `terraform show -json`. */
  readonly dir?: string;
  readonly terraform?: string;
  readonly endpoint?: string;
  readonly token?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly mid?: string;
  /** Policy for keys without a declared rotation (API keys not in state). */
  readonly every?: string;
  readonly gracePeriod?: string;
  /** The time to assess at (RFC 3339); default the current time. */
  readonly now?: string;
  readonly format?: string;
  readonly stdin?: NodeJS.ReadableStream;
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
  const format = (opts.format ?? 'text') as ReportFormat;
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) throw rotationMessages.badFormat(String(opts.format));
  let now = new Date();
  if (opts.now !== undefined) {
    now = new Date(opts.now);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(opts.now) || Number.isNaN(now.getTime())) throw rotationMessages.badNow(opts.now);
  }
  let fallback: DefaultPolicy | undefined;
  try {
    if (opts.every) requireDuration(opts.every, '--every');
    if (opts.gracePeriod) requireDuration(opts.gracePeriod, '--grace-period');
  } catch (e) {
    if (e instanceof DurationError) throw rotationMessages.badDuration(e.message);
    throw e;
  }
  if (opts.every) fallback = { every: opts.every, gracePeriod: opts.gracePeriod };

  let keys: KeyRecord[];
  const state = opts.state ? await loadStateKeys(opts.state, opts.stdin) : undefined;
  if (opts.endpoint) {
    const api = await loadApiKeys(
      { endpoint: opts.endpoint, token: opts.token, clientId: opts.clientId, clientSecret: opts.clientSecret, mid: opts.mid },
      opts.onProgress,
    );
    keys = state ? mergeWithState(api, state) : api;
  } else {
    keys = state ?? (await loadWorkingDirKeys(opts.dir ?? process.cwd(), opts.terraform));
    if (opts.mid) keys = keys.filter((k) => k.mid === opts.mid);
  }
  const rows = assessKeys(keys, now, fallback);
  const report = renderRotationReport(rows, now, format, new Scrubber([opts.token ?? '', opts.clientSecret ?? '']));
  const due = rows.filter((r) => r.status === 'due').length;
  const overdue = rows.filter((r) => r.status === 'overdue').length;
  return due + overdue > 0 ? { report, exitCode: EXIT_ROTATION_DUE, notice: rotationMessages.dueNotice(due, overdue) } : { report, exitCode: 0 };
}
