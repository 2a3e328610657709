/**
 * Samples memory and CPU of a process tree from /proc (Linux) while a command runs: every process
 * below a root pid is classified (Terraform, keyform plugin, other) and its peak resident set
 * (VmHWM, the kernel's own high-water mark, so a sample taken late still sees the peak) and CPU time
 * are recorded. Extra long-lived pids (the API server) are sampled for their current RSS (VmRSS),
 * whose maximum over the window is the peak during the measured command.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat CPU fields (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** What was seen of one process. */
export interface ProcessSample {
  readonly pid: number;
  readonly kind: 'terraform' | 'plugin' | 'other';
  /** Peak resident set, KiB. */
  hwmKb: number;
  /** User + system CPU seconds at the last sample. */
  cpuSeconds: number;
}

/** What a sampling window saw. */
export interface SamplerReport {
  /** Every process seen below the root. */
  readonly processes: readonly ProcessSample[];
  /** Largest peak RSS of a plugin process, KiB (0 when none was seen). */
  readonly pluginPeakKb: number;
  /** Largest peak RSS of a Terraform process, KiB. */
  readonly terraformPeakKb: number;
  /** Plugin processes seen. */
  readonly pluginProcesses: number;
  /** CPU seconds of all plugin processes (sampled, so a few tens of ms short at worst). */
  readonly pluginCpuSeconds: number;
  /** Largest VmRSS of each watched pid during the window, KiB. */
  readonly watchedPeakKb: Readonly<Record<number, number>>;
}

function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / USER_HZ;
  } catch {
    return NaN;
  }
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const t of tasks) {
    try {
      for (const c of readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/)) if (c) out.push(Number(c));
    } catch {
      // The task ended between listing and reading.
    }
  }
  return out;
}

function kindOf(pid: number, pluginMarker: string): ProcessSample['kind'] | undefined {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (argv.some((a) => a.includes(pluginMarker))) return 'plugin';
    if (/(^|\/)terraform$/.test(argv[0] ?? '')) return 'terraform';
    return 'other';
  } catch {
    return undefined;
  }
}

/** A running sampler; `stop()` ends it and returns the report. */
export interface Sampler {
  stop(): SamplerReport;
}

/**
 * Starts sampling the tree below `rootPid` every `intervalMs`. A process whose command line contains
 * `pluginMarker` (e.g. the installed bundle's directory) counts as a plugin process.
 */
export function sampleTree(rootPid: number, pluginMarker: string, opts: { intervalMs?: number; watch?: number[] } = {}): Sampler {
  const seen = new Map<number, ProcessSample>();
  const watched: Record<number, number> = {};
  for (const pid of opts.watch ?? []) watched[pid] = 0;
  const tick = (): void => {
    const stack = [rootPid];
    while (stack.length) {
      const pid = stack.pop()!;
      for (const c of childrenOf(pid)) stack.push(c);
      if (pid === rootPid) continue;
      let s = seen.get(pid);
      if (!s) {
        const kind = kindOf(pid, pluginMarker);
        if (!kind) continue;
        s = { pid, kind, hwmKb: 0, cpuSeconds: 0 };
        seen.set(pid, s);
      } else if (s.kind === 'other') {
        // The launcher script execs node: the same pid becomes the plugin.
        const kind = kindOf(pid, pluginMarker);
        if (kind) (s as { kind: ProcessSample['kind'] }).kind = kind;
      }
      const hwm = statusKb(pid, 'VmHWM');
      if (hwm > s.hwmKb) s.hwmKb = hwm;
      const cpu = cpuSeconds(pid);
      if (!Number.isNaN(cpu)) s.cpuSeconds = cpu;
    }
    for (const pid of opts.watch ?? []) watched[pid] = Math.max(watched[pid], statusKb(pid, 'VmRSS'));
  };
  tick();
  const timer = setInterval(tick, opts.intervalMs ?? 25);
  return {
    stop(): SamplerReport {
      clearInterval(timer);
      const processes = [...seen.values()];
      const plugins = processes.filter((p) => p.kind === 'plugin');
      return {
        processes,
        pluginPeakKb: Math.max(0, ...plugins.map((p) => p.hwmKb)),
        terraformPeakKb: Math.max(0, ...processes.filter((p) => p.kind === 'terraform').map((p) => p.hwmKb)),
        pluginProcesses: plugins.length,
        pluginCpuSeconds: plugins.reduce((a, p) => a + p.cpuSeconds, 0),
        watchedPeakKb: { ...watched },
      };
    },
  };
}

/** Current resident set of a pid, KiB (0 when it is gone). */
export function rssKb(pid: number): number {
  return statusKb(pid, 'VmRSS');
}
