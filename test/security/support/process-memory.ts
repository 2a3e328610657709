/** Resident memory of a process, read from /proc (Linux). */
import { readdirSync, readFileSync } from 'node:fs';

/** The pid of the process whose command line contains `needle` (e.g. a server's unique data directory). */
export function findPid(needle: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmdline.includes(needle) && cmdline.includes('serve')) return Number(entry);
    } catch {
      // The process exited while we looked.
    }
  }
  return undefined;
}

/** VmRSS of `pid` in bytes. */
export function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!m) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(m[1]) * 1024;
}
