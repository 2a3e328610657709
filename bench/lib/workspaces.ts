/**
 * The two Terraform working directories every scale run compares: N `keyform_api_key` resources
 * (`k0`…) and N builtin `terraform_data` resources (`d0`…, Terraform's own floor), with the same
 * names so that resource i of one matches resource i of the other.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../../src/version';

/** Scopes of every benchmark key, in the (sorted) order Terraform keeps a set. */
export const BENCH_SCOPES = ['charges:read', 'customers:read'];

/** Merchant of every benchmark key (the provider's default `mid` in the benchmark environment). */
export const BENCH_MID = 'mid_123456';

/** Name of benchmark key or data resource `i`. */
export function benchName(i: number): string {
  return `bench-${i}`;
}

/**
 * Writes `main.tf.json` declaring N keyform keys into `dir` (created); `resourceType` lets another
 * resource with the same schema (the plan-floor benchmark's do-nothing one) get the identical config.
 */
export function writeKeyformConfig(dir: string, n: number, resourceType = 'keyform_api_key'): void {
  const keys: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) keys[`k${i}`] = { name: benchName(i), type: 'secret', scopes: BENCH_SCOPES };
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'main.tf.json'),
    JSON.stringify({
      terraform: { required_providers: { keyform: { source: 'keyform/keyform', version: VERSION } } },
      provider: { keyform: {} },
      resource: { [resourceType]: keys },
    }),
  );
}

/** Writes `main.tf.json` declaring N `terraform_data` resources into `dir` (created). */
export function writeFloorConfig(dir: string, n: number): void {
  const data: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) data[`d${i}`] = { input: benchName(i) };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ resource: { terraform_data: data } }));
}
