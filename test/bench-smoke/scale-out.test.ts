/**
 * Smoke run of bench/scale-out at CI size: SQLite and two PostgreSQL-backed instances, two stacks of
 * three keys applied at once under a small load from a second process, and the fault run (SIGKILL of
 * one instance mid-apply, applies retried through the other). Checks the correctness figures (every
 * key once, none lost, state and server agree, plans empty) and that the tables are well formed;
 * never a time. Requires `npm run build` and PostgreSQL's server binaries.
 */
import { faultTable, scaleOutTable } from '../../bench/lib/scale-out-report';
import { runFault, runScaleOut } from '../../bench/lib/scale-out';
import { startPostgres, type TestPostgres } from '../support/postgres';

jest.setTimeout(600_000);

const opts = { stacks: 2, keys: 3, clients: 2, seedKeys: 10 };
const clean = { lost: 0, duplicates: 0, stateMismatches: 0 };
let pg: TestPostgres;

beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

describe('scale-out benchmark (smoke size)', () => {
  it('applies stacks through one SQLite instance and through two PostgreSQL instances: every key once, none lost', async () => {
    const sqlite = await runScaleOut({ store: 'sqlite', instances: 1 }, opts);
    const two = await runScaleOut({ store: 'postgres', instances: 2 }, opts, pg);
    for (const r of [sqlite, two]) {
      expect(r.count).toMatchObject({ ...clean, declaredOnce: opts.stacks * opts.keys });
      expect(r.load.requests).toBeGreaterThan(0);
      expect(r.load.errors).toBe(0);
    }
    const table = scaleOutTable([sqlite, two]);
    expect(table.split('\n')).toHaveLength(4);
    expect(table).not.toMatch(/NaN|undefined/);
  });

  it('survives SIGKILL of one instance mid-apply: the retried applies converge, nothing lost or duplicated', async () => {
    const f = await runFault({ ...opts, keys: 6, instances: 2, killAfter: 2 }, pg);
    expect(f.createsBeforeKill).toBeGreaterThanOrEqual(2);
    expect(f.failedApplies).toBe(f.retriedOk);
    expect(f.nonEmptyPlans).toBe(0);
    expect(f.count).toMatchObject({ ...clean, declaredOnce: opts.stacks * 6 });
    expect(faultTable(f)).not.toMatch(/NaN|undefined/);
  });
});
