/**
 * The tfplugin6 plugin runtime: `serveProvider(definition)` makes the current process a Terraform
 * provider plugin (go-plugin handshake with AutoMTLS, gRPC, cty msgpack). Only the handshake line
 * reaches stdout; everything else written to stdout is redirected to stderr.
 */
import { writeSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import type { ProviderDefinition } from '../framework';
import { makeCertificate } from './certificate';
import { startGrpcServer } from './grpc-server';
import { handshakeLine, readHandshakeEnv } from './handshake';
import { createLogger, levelFromEnv } from './logger';
import { ProviderService } from './provider-service';

export { ProviderService } from './provider-service';
export { decodeBlock, encodeBlock, blockFromJson, decodeValue, encodeValue, CtyCodecError } from './cty-codec';
export { createLogger, levelFromEnv, type Logger } from './logger';

/** Options for {@link serveProvider}; the defaults are what Terraform needs. */
export interface ServeOptions {
  /** The hclog module name in log lines; default `provider.<name>` with the name from argv[1]. */
  readonly module?: string;
  /** Environment to read the handshake from; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Serves `definition` to Terraform until Terraform shuts the plugin down. Exits the process with
 * status 1 and a message on stderr when not started by Terraform. Never resolves while serving.
 */
export async function serveProvider<C>(definition: ProviderDefinition<C>, options: ServeOptions = {}): Promise<void> {
  const env = options.env ?? process.env;
  // Only the handshake may reach stdout: anything a dependency prints goes to stderr.
  const stderrWrite = process.stderr.write.bind(process.stderr);
  process.stdout.write = stderrWrite as typeof process.stdout.write;
  console.log = console.error;
  console.info = console.error;

  const hs = readHandshakeEnv(env);
  if (!hs.ok) {
    process.stderr.write(`${hs.message.summary}\n${hs.message.detail} [${hs.message.code}]\n`);
    process.exit(1);
  }
  const log = createLogger(options.module ?? 'provider.terraform-provider-keyform', levelFromEnv(env));
  const service = new ProviderService(definition, log);

  let credentials: grpc.ServerCredentials;
  let certDer: Buffer | undefined;
  if (hs.clientCertPem) {
    const cert = makeCertificate();
    certDer = cert.der;
    credentials = grpc.ServerCredentials.createSsl(
      Buffer.from(hs.clientCertPem),
      [{ private_key: Buffer.from(cert.keyPem), cert_chain: Buffer.from(cert.certPem) }],
      true,
    );
  } else {
    credentials = grpc.ServerCredentials.createInsecure();
  }

  let exiting = false;
  const exit = async (code: number): Promise<void> => {
    if (exiting) return;
    exiting = true;
    await service.close();
    await server.stop();
    process.exit(code);
  };
  const server = await startGrpcServer(service, credentials, () => void exit(0));

  // Terraform drives shutdown: a Ctrl-C reaches the whole process group, and dying on it could
  // abandon an apply half way. SIGTERM means stop now.
  process.on('SIGINT', () => log.log('debug', 'SIGINT ignored; waiting for Terraform to stop the plugin'));
  process.on('SIGTERM', () => void exit(0));
  // If Terraform dies without stopping us, we are re-parented: exit instead of lingering.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void exit(0);
  }, 1000).unref();

  writeSync(1, `${handshakeLine(server.port, certDer)}\n`);
  log.log('debug', 'plugin started', { port: server.port, startup_ms: Math.round(process.uptime() * 1000) });
  await new Promise<never>(() => undefined);
}
