/**
 * Fault injection for testing clients against a misbehaving API. Off unless a spec is given
 * (`--faults`, `faults` option or KEYFORM_FAULTS).
 */

/** Parsed fault rates; every rate is a probability from 0 to 1. */
export interface FaultSpec {
  /** Answer 500 before doing anything. */
  readonly error500: number;
  /** Answer 429 with Retry-After before doing anything. */
  readonly error429: number;
  /** Destroy the connection before doing anything. */
  readonly drop: number;
  /** Added latency range in milliseconds. */
  readonly latencyMs: readonly [number, number];
  /** On create/rotate routes: answer 500 AFTER the change was committed (the response is lost). */
  readonly after: number;
  /** On create/rotate routes: destroy the connection AFTER the change was committed. */
  readonly afterDrop: number;
}

const KEYS: Record<string, keyof FaultSpec> = {
  '500': 'error500',
  '429': 'error429',
  drop: 'drop',
  latency: 'latencyMs',
  after: 'after',
  'after-drop': 'afterDrop',
};

/** The spec syntax, for error messages and help. */
export const FAULT_SPEC_HELP = 'comma list of 500=<p>, 429=<p>, drop=<p>, latency=<min>-<max> (ms), after=<p>, after-drop=<p>; p from 0 to 1';

/** Parses `500=0.2,429=0.1,latency=0-50,drop=0.01,after=0.1`; throws a clear error on a bad spec. */
export function parseFaultSpec(spec: string): FaultSpec {
  const out: { -readonly [K in keyof FaultSpec]: FaultSpec[K] } = { error500: 0, error429: 0, drop: 0, latencyMs: [0, 0], after: 0, afterDrop: 0 };
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, value] = part.split('=');
    const key = KEYS[name?.trim() ?? ''];
    if (!key || value === undefined) throw new Error(`Invalid fault spec "${part}": use ${FAULT_SPEC_HELP}.`);
    if (key === 'latencyMs') {
      const m = /^(\d+)(?:-(\d+))?$/.exec(value.trim());
      if (!m) throw new Error(`Invalid fault spec "${part}": latency is <min>-<max> in milliseconds, e.g. latency=0-50.`);
      const lo = Number(m[1]);
      const hi = m[2] === undefined ? lo : Number(m[2]);
      if (hi < lo) throw new Error(`Invalid fault spec "${part}": latency max is below min.`);
      out.latencyMs = [lo, hi];
    } else {
      const p = Number(value);
      if (!Number.isFinite(p) || p < 0 || p > 1) throw new Error(`Invalid fault spec "${part}": the rate must be a number from 0 to 1.`);
      out[key] = p;
    }
  }
  return out;
}

/** Whether a spec injects anything at all. */
export function faultsActive(f: FaultSpec): boolean {
  return f.error500 > 0 || f.error429 > 0 || f.drop > 0 || f.latencyMs[1] > 0 || f.after > 0 || f.afterDrop > 0;
}

/** A latency drawn uniformly from the spec's range. */
export function drawLatency(f: FaultSpec, random: () => number = Math.random): number {
  const [lo, hi] = f.latencyMs;
  return lo + Math.floor(random() * (hi - lo + 1));
}

/** What to do before handling a request. */
export function drawBeforeFault(f: FaultSpec, random: () => number = Math.random): 'drop' | '500' | '429' | undefined {
  const r = random();
  if (r < f.drop) return 'drop';
  if (r < f.drop + f.error500) return '500';
  if (r < f.drop + f.error500 + f.error429) return '429';
  return undefined;
}

/** What to do after a committed create or rotation. */
export function drawAfterFault(f: FaultSpec, random: () => number = Math.random): 'drop' | '500' | undefined {
  const r = random();
  if (r < f.afterDrop) return 'drop';
  if (r < f.afterDrop + f.after) return '500';
  return undefined;
}
