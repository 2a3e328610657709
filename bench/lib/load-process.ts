/**
 * The request load from a second process: {@link startLoadProcess} forks this file (through tsx),
 * which runs {@link runLoad} against the given instances until the parent says stop (or the time
 * cap passes) and sends the report back over IPC. A separate process, so the load's client work does
 * not share an event loop with the benchmark's own Terraform orchestration.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { runLoad, type LoadMix, type LoadReport } from './load';
import { ROOT } from './paths';

/** What the load process is told to do. */
export interface LoadProcessSpec {
  readonly urls: readonly string[];
  readonly ids: readonly string[];
  readonly clients: number;
  /** Hard cap: the load stops by itself after this many seconds. */
  readonly maxSeconds: number;
  readonly mix?: LoadMix;
  readonly namePrefix?: string;
  readonly token?: string;
}

/** A running load process. */
export interface LoadProcess {
  readonly pid: number;
  /** Asks the load to stop and resolves with its report. */
  stop(): Promise<LoadReport>;
}

/** Forks the load process and resolves once its workers have started. */
export async function startLoadProcess(spec: LoadProcessSpec): Promise<LoadProcess> {
  const child = fork(join(ROOT, 'bench', 'lib', 'load-process.ts'), ['--child'], {
    execArgv: ['--import', 'tsx'],
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const report = new Promise<LoadReport>((resolve, reject) => {
    child.on('message', (m: { report?: LoadReport; error?: string }) => {
      if (m.report) resolve(m.report);
      if (m.error) reject(new Error(`load process: ${m.error}`));
    });
    child.once('exit', (code) => reject(new Error(`load process exited ${code} without a report`)));
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('error', reject);
    child.send({ spec });
  });
  return {
    pid: child.pid!,
    async stop() {
      child.send({ stop: true });
      const r = await report;
      await new Promise((res) => (child.exitCode === null ? child.once('exit', res) : res(null)));
      return r;
    },
  };
}

// The child's side: wait for the spec, say started, run until told to stop.
if (process.argv.includes('--child') && process.send) {
  let stopping = false;
  process.on('message', (m: { spec?: LoadProcessSpec; stop?: boolean }) => {
    if (m.stop) stopping = true;
    if (!m.spec) return;
    const spec = m.spec;
    process.send!({ started: true });
    runLoad(spec.urls, spec.ids, { clients: spec.clients, seconds: spec.maxSeconds, mix: spec.mix, namePrefix: spec.namePrefix, token: spec.token, until: () => stopping })
      .then((report) => process.send!({ report }, () => process.exit(0)))
      .catch((e: unknown) => process.send!({ error: e instanceof Error ? e.message : String(e) }, () => process.exit(1)));
  });
}
