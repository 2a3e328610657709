/**
 * Smoke run of bench/scale-plan at CI size: keeps the benchmark code working (real server, real
 * Terraform, applied and state-written workspaces). No timing assertions: it only checks that every
 * figure was produced and is well formed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTable, cpuTable, memoryTable, planTable } from '../../bench/lib/report';
import { runScalePlan, type PlanFigures, type ScalePlanResult } from '../../bench/lib/scale-plan';

function expectWellFormed(f: PlanFigures, withPlugin: boolean): void {
  expect(f.seconds).toHaveLength(1);
  expect(f.medianSeconds).toBeGreaterThan(0);
  expect(f.terraformPeakMb).toBeGreaterThan(0);
  expect(Number.isFinite(f.cpuSeconds)).toBe(true);
  if (withPlugin) {
    expect(f.pluginProcesses).toBeGreaterThanOrEqual(1);
    expect(f.pluginPeakMb).toBeGreaterThan(0);
  } else {
    expect(f.pluginProcesses).toBe(0);
  }
}

describe('scale plan benchmark (smoke size)', () => {
  let result: ScalePlanResult;
  let profiles: string;

  beforeAll(async () => {
    // GIVEN 5 applied keys and 20 keys brought into state by writing the state file
    profiles = mkdtempSync(join(tmpdir(), 'keyform-smoke-prof-'));
    result = await runScalePlan({ sizes: [5, 20], writeStateSizes: [20], runs: 1, countRpcsUpTo: 20, cpuProfileDir: profiles });
  }, 120_000);

  afterAll(() => rmSync(profiles, { recursive: true, force: true }));

  it('measures an applied size: apply times, the first plan after apply, both kinds of plan', () => {
    const r = result.sizes[0];
    expect(r).toMatchObject({ n: 5, build: 'apply' });
    expect(r.applySeconds!.keyform).toBeGreaterThan(0);
    expect(r.applySeconds!.keyformRequests).toBeGreaterThanOrEqual(5);
    expect(r.firstPlanAfterApply!.requests).toBeGreaterThan(0);
    for (const f of [r.plan, r.refreshOnly]) {
      expectWellFormed(f.keyform, true);
      expectWellFormed(f.floor, false);
      expect(f.requests).toBeGreaterThan(0);
      expect(f.ratio).toBeGreaterThan(0);
    }
  });

  it('measures a state-written size: every written key is refreshed and the plan reports no changes', () => {
    const r = result.sizes[1];
    expect(r).toMatchObject({ n: 20, build: 'state' });
    expect(r.stateBuild!.keyformStateBytes).toBeGreaterThan(0);
    expect(r.plan.routes['GET /v1/api-keys']).toBeGreaterThanOrEqual(1);
    expectWellFormed(r.plan.keyform, true);
    expect(r.serverPeakMb).toBeGreaterThan(0);
  });

  it('counts the plugin gRPC calls of a plan: one read and one plan per resource', () => {
    for (const r of result.sizes) {
      expect(r.rpcsPerPlan).toMatchObject({ ReadResource: r.n, PlanResourceChange: r.n, UpgradeResourceState: r.n });
    }
  });

  it('summarises a CPU profile of every plugin process of a plan', () => {
    const p = result.sizes[1].cpuProfile!;
    // The sampler can miss a short-lived process; the profiles are written by every process that exits.
    expect(p.files).toBeGreaterThanOrEqual(1);
    expect(p.sampledSeconds).toBeGreaterThan(0);
    expect(p.top.length).toBeGreaterThan(0);
  });

  it('reports plugin start and renders every table with one row per size and plan kind', () => {
    expect(result.pluginStartMs).toBeGreaterThan(0);
    expect(result.nodeStartMs).toBeGreaterThan(0);
    expect(planTable(result).split('\n')).toHaveLength(2 + 4);
    for (const table of [memoryTable(result), cpuTable(result), buildTable(result)]) expect(table.split('\n')).toHaveLength(2 + 2);
    expect(planTable(result)).not.toMatch(/NaN|undefined/);
  });
});
