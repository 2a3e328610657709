/**
 * The server under concurrent load: a fresh `keyform serve` process holding `keys` keys, driven by
 * `clients` concurrent clients from this process for `seconds`, while its RSS is sampled.
 */
import { createBenchKeys } from './bulk-keys';
import { type LoadMix, type LoadReport, runLoad } from './load';
import { rssKb } from './proc-sampler';
import { startServerProcess } from './server-process';

/** Options of {@link runScaleLoad}. */
export interface ScaleLoadOptions {
  readonly keys: number;
  readonly clients: number;
  readonly seconds: number;
  readonly mix?: LoadMix;
}

/** What {@link runScaleLoad} measured. */
export interface ScaleLoadResult {
  readonly keys: number;
  readonly report: LoadReport;
  /** Server RSS before the load and its peak during it, MiB. */
  readonly serverRssBeforeMb: number;
  readonly serverPeakMb: number;
  /** Requests the server logged during the load (should equal the report's count). */
  readonly serverLoggedRequests: number;
}

/** Runs the load benchmark once. */
export async function runScaleLoad(opts: ScaleLoadOptions): Promise<ScaleLoadResult> {
  const server = await startServerProcess();
  try {
    const { keys } = await createBenchKeys(server.url, opts.keys, 16);
    await server.settle();
    const before = rssKb(server.pid);
    let peak = before;
    const timer = setInterval(() => (peak = Math.max(peak, rssKb(server.pid))), 50);
    const c0 = server.requests();
    let report: LoadReport;
    try {
      report = await runLoad(
        server.url,
        keys.map((k) => k.key.id),
        { clients: opts.clients, seconds: opts.seconds, mix: opts.mix },
      );
    } finally {
      clearInterval(timer);
    }
    await server.settle();
    return {
      keys: opts.keys,
      report,
      serverRssBeforeMb: Math.round(before / 1024),
      serverPeakMb: Math.round(peak / 1024),
      // The token request of the load is not part of the mix.
      serverLoggedRequests: server.requests() - c0 - 1,
    };
  } finally {
    await server.stop();
  }
}
