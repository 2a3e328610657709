/**
 * A loopback TCP relay in front of the reference server whose server-to-client direction can be held.
 * Held responses make a crash land at the worst moment on purpose: the server has committed the
 * creates in flight, but the plugin never learns their ids. Requests always pass; nothing is changed.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** A running relay. */
export interface ResponseGate {
  /** Base URL to use instead of the server's. */
  readonly url: string;
  /** From now on, bytes from the server are held back (never delivered). */
  hold(): void;
  /** Connections that had a response held back so far. */
  heldResponses(): number;
  /**
   * Ends holding: every open connection is reset (its held response is lost, as when the server
   * crashes), new connections pass again.
   */
  release(): void;
  /** Closes the relay and every connection through it. */
  close(): Promise<void>;
}

/** Starts a relay to `target` (e.g. `http://127.0.0.1:41234`). */
export async function startResponseGate(target: string): Promise<ResponseGate> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let holding = false;
  let held = 0;
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: hostname, port: Number(port) });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      // A crashed peer resets its connection; the other side just closes.
      s.on('error', () => undefined);
    }
    client.on('data', (d) => upstream.write(d));
    let heldHere = false;
    upstream.on('data', (d) => {
      if (!holding) client.write(d);
      else if (!heldHere) {
        heldHere = true;
        held++;
      }
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => {
      if (!holding) client.destroy();
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('relay has no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    hold() {
      holding = true;
    },
    heldResponses() {
      return held;
    },
    release() {
      holding = false;
      for (const s of sockets) s.destroy();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((res) => server.close(() => res()));
    },
  };
}
