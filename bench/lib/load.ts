/**
 * A concurrent load on the reference server from this process: `clients` independent workers, each
 * with its own connection, loop for `seconds` over a mix of operations (get a key by id, list a page
 * of keys, create a key) and record each request's latency as the client sees it.
 */
import { Agent, request } from 'undici';
import { percentile } from './stats';
import { BENCH_ADMIN } from './server-process';
import { BENCH_MID, BENCH_SCOPES } from './workspaces';

/** Relative weights of the operations of the mix. */
export interface LoadMix {
  readonly get: number;
  readonly list: number;
  readonly create: number;
}

/** Default mix: mostly reads, like a plan's refresh and a dashboard, with some creates. */
export const DEFAULT_MIX: LoadMix = { get: 6, list: 3, create: 1 };

/** Latency figures of one operation under load (milliseconds). */
export interface OpFigures {
  readonly op: string;
  readonly n: number;
  readonly errors: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** What a load run measured. */
export interface LoadReport {
  readonly clients: number;
  readonly seconds: number;
  readonly requests: number;
  readonly errors: number;
  readonly throughput: number;
  readonly ops: readonly OpFigures[];
}

async function adminToken(url: string): Promise<string> {
  const res = await fetch(`${url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: BENCH_ADMIN.clientId, client_secret: BENCH_ADMIN.clientSecret }),
  });
  if (!res.ok) throw new Error(`token request failed: ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Options of {@link runLoad}. */
export interface LoadOptions {
  readonly clients: number;
  /** How long the load runs at most. */
  readonly seconds: number;
  readonly mix?: LoadMix;
  /** Ends the load early once it returns true (checked before each request). */
  readonly until?: () => boolean;
  /** Prefix of the names of the keys the load creates (default `load`). */
  readonly namePrefix?: string;
  /** Bearer for every request (an API key); default a token of the benchmark's admin client. */
  readonly token?: string;
}

/**
 * Runs the load against `url` whose store already holds keys `ids` (gets pick among them). With
 * several URLs (instances of one service), worker w starts on `url[w % n]` and, when a request
 * cannot connect (the instance died), moves to the next one, as a load balancer would; the failed
 * request counts as an error.
 */
export async function runLoad(url: string | readonly string[], ids: readonly string[], opts: LoadOptions): Promise<LoadReport> {
  if (ids.length === 0) throw new Error('the load needs at least one existing key id to get');
  const urls = typeof url === 'string' ? [url] : url;
  const mix = opts.mix ?? DEFAULT_MIX;
  const total = mix.get + mix.list + mix.create;
  // One token for every instance: over a shared database, a token from one instance works on all.
  const token = opts.token ?? (await adminToken(urls[0]));
  const prefix = opts.namePrefix ?? 'load';
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const samples: Record<string, number[]> = { get: [], list: [], create: [] };
  const errors: Record<string, number> = { get: 0, list: 0, create: 0 };
  const deadline = performance.now() + opts.seconds * 1000;
  let seq = 0;
  const worker = async (w: number): Promise<void> => {
    // One connection per worker: 16 clients means 16 sockets, like 16 separate processes.
    let dispatcher = new Agent({ connections: 1, pipelining: 1 });
    let at = w % urls.length;
    try {
      while (performance.now() < deadline && !opts.until?.()) {
        const url = urls[at];
        const r = Math.random() * total;
        const op = r < mix.get ? 'get' : r < mix.get + mix.list ? 'list' : 'create';
        const t0 = performance.now();
        let status = 0;
        try {
          const res =
            op === 'get'
              ? await request(`${url}/v1/api-keys/${ids[Math.floor(Math.random() * ids.length)]}`, { headers, dispatcher })
              : op === 'list'
                ? await request(`${url}/v1/api-keys?mid=${BENCH_MID}&limit=100`, { headers, dispatcher })
                : await request(`${url}/v1/api-keys`, {
                    method: 'POST',
                    headers,
                    dispatcher,
                    body: JSON.stringify({ mid: BENCH_MID, name: `${prefix}-${w}-${seq++}`, type: 'secret', scopes: BENCH_SCOPES }),
                  });
          await res.body.arrayBuffer();
          status = res.statusCode;
        } catch {
          status = 0;
          if (urls.length > 1) {
            at = (at + 1) % urls.length;
            await dispatcher.destroy();
            dispatcher = new Agent({ connections: 1, pipelining: 1 });
          }
        }
        if (status >= 200 && status < 300) samples[op].push(performance.now() - t0);
        else errors[op]++;
      }
    } finally {
      await dispatcher.close();
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: opts.clients }, (_, w) => worker(w)));
  const seconds = (performance.now() - t0) / 1000;
  const ops: OpFigures[] = Object.keys(samples).map((op) => {
    const s = samples[op];
    return { op, n: s.length, errors: errors[op], p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s.length ? Math.max(...s) : NaN };
  });
  const requests = ops.reduce((a, o) => a + o.n + o.errors, 0);
  const errorCount = ops.reduce((a, o) => a + o.errors, 0);
  return { clients: opts.clients, seconds, requests, errors: errorCount, throughput: requests / seconds, ops };
}
