/**
 * The gRPC server: grpc-js with a hand-built service definition whose (de)serializers are the
 * field-table protobuf codec, serving `tfplugin6.Provider` and `plugin.GRPCController`.
 */
import * as grpc from '@grpc/grpc-js';
import { decodeMessage, encodeMessage, type MessageSpec, type ProtoMessage } from './protobuf-wire';
import { RPC } from './tfplugin6-messages';
import type { ProviderService } from './provider-service';

/** Terraform's own gRPC message size limit. */
const MAX_MESSAGE = 256 << 20;

function unary(path: string, req: MessageSpec, res: MessageSpec): grpc.MethodDefinition<ProtoMessage, ProtoMessage> {
  return {
    path,
    requestStream: false,
    responseStream: false,
    requestSerialize: (m: ProtoMessage) => encodeMessage(req, m),
    requestDeserialize: (b: Buffer) => decodeMessage(req, b),
    responseSerialize: (m: ProtoMessage) => encodeMessage(res, m),
    responseDeserialize: (b: Buffer) => decodeMessage(res, b),
  };
}

/** A running server. */
export interface RunningServer {
  readonly port: number;
  /** Stops accepting calls and resolves once open calls finished (or after a short grace). */
  stop(): Promise<void>;
}

/** Starts the server on 127.0.0.1 with a free port; `onShutdown` runs after GRPCController.Shutdown answered. */
export function startGrpcServer<C>(
  service: ProviderService<C>,
  credentials: grpc.ServerCredentials,
  onShutdown: () => void,
): Promise<RunningServer> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': MAX_MESSAGE,
    'grpc.max_send_message_length': MAX_MESSAGE,
  });
  const definition: Record<string, grpc.MethodDefinition<ProtoMessage, ProtoMessage>> = {};
  const impl: grpc.UntypedServiceImplementation = {};
  for (const [method, specs] of Object.entries(RPC)) {
    definition[method] = unary(`/tfplugin6.Provider/${method}`, specs.req, specs.res);
    impl[method] = (call: grpc.ServerUnaryCall<ProtoMessage, ProtoMessage>, callback: grpc.sendUnaryData<ProtoMessage>) => {
      service.handle(method, call.request).then(
        (res) => callback(null, res),
        (err: unknown) => callback({ code: grpc.status.INTERNAL, details: err instanceof Error ? err.message : String(err) }),
      );
    };
  }
  server.addService(definition, impl);
  server.addService(
    { Shutdown: unary('/plugin.GRPCController/Shutdown', {}, {}) },
    {
      Shutdown: (_call: grpc.ServerUnaryCall<ProtoMessage, ProtoMessage>, callback: grpc.sendUnaryData<ProtoMessage>) => {
        callback(null, {});
        onShutdown();
      },
    },
  );
  return new Promise((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', credentials, (err, port) => {
      if (err) return reject(err);
      resolve({
        port,
        stop: () =>
          new Promise<void>((done) => {
            const timer = setTimeout(() => {
              server.forceShutdown();
              done();
            }, 500);
            server.tryShutdown(() => {
              clearTimeout(timer);
              done();
            });
          }),
      });
    });
  });
}
