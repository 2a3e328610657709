/** Creates benchmark keys on the server through the typed client, many at a time. */
import { KeyformClient } from '../../src/client';
import type { ApiKey } from '../../src/model';
import { BENCH_ADMIN } from './server-process';
import { mapConcurrent } from './stats';
import { BENCH_MID, BENCH_SCOPES, benchName } from './workspaces';

/** A created key and its value (from the create response; the API never returns it again). */
export interface CreatedKey {
  readonly key: ApiKey;
  readonly value: string;
}

/** Creates keys `bench-0`…`bench-(n-1)` with `concurrency` requests in flight; returns them in order and the seconds it took. */
export async function createBenchKeys(endpoint: string, n: number, concurrency = 16): Promise<{ keys: CreatedKey[]; seconds: number }> {
  const client = new KeyformClient({ endpoint, clientId: BENCH_ADMIN.clientId, clientSecret: BENCH_ADMIN.clientSecret, connections: concurrency });
  const t0 = performance.now();
  try {
    const keys = await mapConcurrent(
      Array.from({ length: n }, (_, i) => i),
      concurrency,
      async (i) => {
        const { value, ...key } = await client.createApiKey({ mid: BENCH_MID, name: benchName(i), type: 'secret', scopes: BENCH_SCOPES });
        return { key: key as ApiKey, value };
      },
    );
    return { keys, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await client.close();
  }
}

/** The key `id` as the API returns it now (admin client). */
export async function fetchKey(endpoint: string, id: string): Promise<ApiKey> {
  const client = new KeyformClient({ endpoint, clientId: BENCH_ADMIN.clientId, clientSecret: BENCH_ADMIN.clientSecret });
  try {
    return await client.getApiKey(id);
  } finally {
    await client.close();
  }
}
