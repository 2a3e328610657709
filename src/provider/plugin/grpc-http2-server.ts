/**
 * A minimal gRPC server on node:http2: unary calls only, which is all Terraform's provider protocol
 * and go-plugin's controller use. It replaces @grpc/grpc-js in the plugin because loading grpc-js
 * costs ~40-60 ms per plugin process and Terraform starts 3-5 processes per command.
 *
 * Wire format: POST /<service>/<method> with `content-type: application/grpc`; the body is one
 * length-prefixed message (1 byte compressed flag, 4 bytes big-endian length, payload). The answer is
 * headers, one length-prefixed message and trailers with `grpc-status`; failures are trailers-only.
 */
import * as http2 from 'node:http2';
import { decodeMessage, encodeMessage, type MessageSpec, type ProtoMessage } from './protobuf-wire';

/** gRPC status codes used here. */
export const GRPC_STATUS = { OK: 0, INVALID_ARGUMENT: 3, UNIMPLEMENTED: 12, INTERNAL: 13 } as const;

/** Terraform's own gRPC message size limit. */
const MAX_MESSAGE = 256 << 20;

/** One unary method: its message tables and handler. */
export interface UnaryMethod {
  readonly req: MessageSpec;
  readonly res: MessageSpec;
  handle(req: ProtoMessage): Promise<ProtoMessage>;
  /** Runs once the response has been flushed (e.g. exit after Shutdown). */
  after?(): void;
}

/** TLS material: the server's key and certificate and the client certificate to require. */
export interface ServerTls {
  readonly keyPem: string;
  readonly certPem: string;
  readonly clientCaPem: string;
}

/** A running server. */
export interface RunningServer {
  readonly port: number;
  /** Stops accepting connections and closes open sessions. */
  stop(): Promise<void>;
}

function grpcMessage(text: string): string {
  // grpc-message is percent-encoded outside printable ASCII.
  return Buffer.from(text, 'utf8')
    .toString('latin1')
    .replace(/[^\x20-\x24\x26-\x7e]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function fail(stream: http2.ServerHttp2Stream, status: number, message: string): void {
  if (stream.destroyed || stream.headersSent) return;
  stream.respond(
    { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': String(status), 'grpc-message': grpcMessage(message) },
    { endStream: true },
  );
}

function serve(stream: http2.ServerHttp2Stream, method: UnaryMethod | undefined, path: string): void {
  stream.on('error', () => undefined);
  if (!method) {
    stream.resume();
    fail(stream, GRPC_STATUS.UNIMPLEMENTED, `unknown method ${path}`);
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_MESSAGE + 5) {
      fail(stream, GRPC_STATUS.INVALID_ARGUMENT, 'message too large');
      stream.close();
      return;
    }
    chunks.push(chunk);
  });
  stream.on('end', () => {
    const body = Buffer.concat(chunks);
    if (body.length < 5 || body.readUInt32BE(1) !== body.length - 5) {
      fail(stream, GRPC_STATUS.INVALID_ARGUMENT, 'expected exactly one length-prefixed message');
      return;
    }
    if (body[0] !== 0) {
      fail(stream, GRPC_STATUS.UNIMPLEMENTED, 'compressed messages are not supported');
      return;
    }
    let req: ProtoMessage;
    try {
      req = decodeMessage(method.req, body.subarray(5));
    } catch (err) {
      fail(stream, GRPC_STATUS.INVALID_ARGUMENT, err instanceof Error ? err.message : String(err));
      return;
    }
    method.handle(req).then(
      (res) => {
        if (stream.destroyed) return;
        const payload = encodeMessage(method.res, res);
        const frame = Buffer.allocUnsafe(5 + payload.length);
        frame[0] = 0;
        frame.writeUInt32BE(payload.length, 1);
        payload.copy(frame, 5);
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
        if (method.after) stream.on('close', method.after);
        stream.end(frame);
      },
      (err: unknown) => fail(stream, GRPC_STATUS.INTERNAL, err instanceof Error ? err.message : String(err)),
    );
  });
}

/** Starts serving `methods` (keyed by `/service/method` path) on 127.0.0.1 with a free port. */
export function startGrpcServer(methods: ReadonlyMap<string, UnaryMethod>, tls: ServerTls | undefined): Promise<RunningServer> {
  const options: http2.SecureServerOptions = {
    // Buffered request data is bounded by MAX_MESSAGE above; the session default (10 MB) is too small.
    maxSessionMemory: 512,
  };
  const server = tls
    ? http2.createSecureServer({
        ...options,
        key: tls.keyPem,
        cert: tls.certPem,
        ca: tls.clientCaPem,
        requestCert: true,
        rejectUnauthorized: true,
        minVersion: 'TLSv1.2',
      })
    : http2.createServer(options);
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s: http2.ServerHttp2Session) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
    s.on('error', () => undefined);
  });
  server.on('stream', (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => {
    const path = String(headers[':path'] ?? '');
    serve(stream, methods.get(path), path);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        port,
        stop: () =>
          new Promise<void>((done) => {
            for (const s of sessions) s.close();
            const timer = setTimeout(() => {
              for (const s of sessions) s.destroy();
              done();
            }, 500);
            server.close(() => {
              clearTimeout(timer);
              done();
            });
          }),
      });
    });
  });
}
