/** Smoke run of bench/scale-load: 2 s of load from 4 clients; checks the figures are well formed, not their values. */
import { loadTable } from '../../bench/lib/report';
import { runScaleLoad } from '../../bench/lib/scale-load';

describe('scale load benchmark (smoke size)', () => {
  it('drives the mix from several clients and accounts for every request', async () => {
    const r = await runScaleLoad({ keys: 20, clients: 4, seconds: 2 });
    expect(r.report.errors).toBe(0);
    expect(r.report.requests).toBeGreaterThan(0);
    // Every request the clients sent is one the server logged.
    expect(r.serverLoggedRequests).toBe(r.report.requests);
    for (const op of r.report.ops) {
      expect(op.n).toBeGreaterThan(0);
      for (const p of [op.p50, op.p95, op.p99, op.max]) expect(p).toBeGreaterThan(0);
      expect(op.p50).toBeLessThanOrEqual(op.max);
    }
    expect(r.serverPeakMb).toBeGreaterThanOrEqual(r.serverRssBeforeMb);
    expect(loadTable(r.report, r.serverPeakMb, r.keys)).not.toMatch(/NaN|undefined/);
  }, 60_000);
});
