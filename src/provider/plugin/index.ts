/**
 * The tfplugin6 plugin runtime: `serveProvider(definition)` makes the current process a Terraform
 * provider plugin (go-plugin handshake with AutoMTLS, gRPC over HTTP/2, cty msgpack). Only the
 * handshake line reaches stdout; everything else written to stdout is redirected to stderr.
 */
import { writeSync } from 'node:fs';
import type { ProviderDefinition } from './framework';
import { makeCertificate } from './certificate';
import { startGrpcServer, type ServerTls, type UnaryMethod } from './grpc-http2-server';
import { handshakeLine, readHandshakeEnv } from './handshake';
import { createLogger, levelFromEnv, NO_REDACTION, type Redactor } from './logger';
import { ProviderService } from './provider-service';
import { RPC } from './tfplugin6-messages';

export * from './framework';
export { ProviderService } from './provider-service';
export { decodeBlock, encodeBlock, blockFromJson, decodeValue, encodeValue, CtyCodecError } from './cty-codec';
export { createLogger, levelFromEnv, NO_REDACTION, type Logger, type Redactor } from './logger';
export { planResourceChange, computedUnknown } from './plan-pipeline';
export { blockSchema, nestedBlock, passthroughState, typedModel, type ModelOf, type TypedModel } from './typed-model';
export type { ProviderRpcs, ProviderRpcHandlers, RpcName } from './tfplugin6-rpc';

/** A definition, or a function loading it (lets the handshake go out before heavy modules load). */
export type DefinitionSource<C> = ProviderDefinition<C> | (() => ProviderDefinition<C> | Promise<ProviderDefinition<C>>);

/** Options for {@link serveProvider}; the defaults are what Terraform needs. */
export interface ServeOptions {
  /** The hclog module name in log lines, e.g. `provider.terraform-provider-<name>`; default `provider`. */
  readonly module?: string;
  /**
   * Scrubs secrets from every diagnostic and log line before it leaves the process. A provider that
   * handles secrets must pass one; without it text passes unchanged.
   */
  readonly redact?: Redactor;
  /** Environment to read the handshake from; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Serves a provider definition to Terraform until Terraform shuts the plugin down (then the process
 * exits). Exits with status 1 and a message on stderr when not started by Terraform.
 *
 * Pass a loader function (`() => import('./my-provider').then((m) => m.provider)`) instead of the
 * definition to print the handshake first and load the definition while Terraform connects; esbuild
 * keeps dynamically imported modules lazy inside the bundle.
 */
export async function serveProvider<C>(source: DefinitionSource<C>, options: ServeOptions = {}): Promise<void> {
  const env = options.env ?? process.env;
  // Only the handshake may reach stdout: anything a dependency prints goes to stderr.
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  console.log = console.error;
  console.info = console.error;

  const hs = readHandshakeEnv(env);
  if (!hs.ok) {
    process.stderr.write(`${hs.message.summary}\n${hs.message.detail} [${hs.message.code}]\n`);
    process.exit(1);
  }
  const redact = options.redact ?? NO_REDACTION;
  const log = createLogger(options.module ?? 'provider', levelFromEnv(env), undefined, redact);

  let loaded: Promise<ProviderService<C>> | undefined;
  const service = (): Promise<ProviderService<C>> =>
    (loaded ??= Promise.resolve()
      .then(() => (typeof source === 'function' ? source() : source))
      .then((def) => new ProviderService(def, log, redact)));

  let exiting = false;
  const exit = async (code: number): Promise<void> => {
    if (exiting) return;
    exiting = true;
    if (loaded) await (await loaded.catch(() => undefined))?.close();
    await server.stop();
    process.exit(code);
  };

  const methods = new Map<string, UnaryMethod>();
  for (const [name, specs] of Object.entries(RPC)) {
    methods.set(`/tfplugin6.Provider/${name}`, { ...specs, handle: async (req) => (await service()).handle(name, req) });
  }
  methods.set('/plugin.GRPCController/Shutdown', { req: {}, res: {}, handle: async () => ({}), after: () => void exit(0) });

  let tls: ServerTls | undefined;
  let certDer: Buffer | undefined;
  if (hs.clientCertPem) {
    const cert = makeCertificate();
    certDer = cert.der;
    tls = { keyPem: cert.keyPem, certPem: cert.certPem, clientCaPem: hs.clientCertPem };
  }
  const server = await startGrpcServer(methods, tls);

  // Terraform drives shutdown: a Ctrl-C reaches the whole process group, and dying on it could
  // abandon an apply half way. SIGTERM means stop now.
  process.on('SIGINT', () => log.log('debug', 'SIGINT ignored; Terraform stops the plugin'));
  process.on('SIGTERM', () => void exit(0));
  // If Terraform dies without stopping us, we are re-parented: exit instead of lingering.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void exit(0);
  }, 1000).unref();

  writeSync(1, `${handshakeLine(server.port, certDer)}\n`);
  log.log('debug', 'plugin started', { port: server.port, startup_ms: Math.round(process.uptime() * 1000) });
  // Load the definition while Terraform connects.
  service().catch((err: unknown) => log.log('error', 'loading the provider definition failed', { error: err instanceof Error ? err.message : String(err) }));
}
