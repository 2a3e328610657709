/**
 * Smoke run of bench/plan-floor at CI size: the four workspaces (terraform_data, the do-nothing
 * provider in two shapes, keyform) are built, applied and planned with no changes. No timing
 * assertions: it only checks that every figure was produced and is well formed.
 */
import { FLOOR_KINDS, planFloorTable, runPlanFloor, type PlanFloorResult } from '../../bench/lib/plan-floor';

describe('plan floor benchmark (smoke size)', () => {
  let result: PlanFloorResult;

  beforeAll(async () => {
    result = await runPlanFloor({ n: 3, runs: 1 });
  }, 120_000);

  it('GIVEN 3 resources of each kind THEN every kind is applied and planned with no changes, in a fixed order', () => {
    expect(result.kinds.map((k) => k.kind)).toEqual([...FLOOR_KINDS]);
    for (const k of result.kinds) {
      expect(k.planSeconds).toHaveLength(1);
      expect(k.medianSeconds).toBeGreaterThan(0);
      expect(Number.isFinite(k.applySeconds)).toBe(true);
      expect(Number.isFinite(k.cpuSeconds)).toBe(true);
    }
    expect(result.kinds[0].ratio).toBe(1);
  });

  it('GIVEN the plugin workspaces THEN their plugin CPU is measured; the floor runs no plugin', () => {
    const byKind = Object.fromEntries(result.kinds.map((k) => [k.kind, k]));
    expect(byKind.floor.pluginCpuSeconds).toBe(0);
    for (const k of ['null-thin', 'null-key', 'keyform']) expect(byKind[k].pluginCpuSeconds).toBeGreaterThan(0);
  });

  it('renders one table row per workspace', () => {
    const table = planFloorTable(result);
    for (const k of FLOOR_KINDS) expect(table).toContain(`| ${k} |`);
  });
});
