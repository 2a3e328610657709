/**
 * go-plugin's side of the handshake: Terraform starts the plugin with a magic cookie, the protocol
 * versions it speaks and (AutoMTLS) its client certificate; the plugin answers with exactly one stdout
 * line `1|6|tcp|127.0.0.1:PORT|grpc|<server cert DER, base64 without padding>`.
 */
import { MESSAGES, type RuntimeMessage } from './messages';

/** The magic cookie go-plugin uses for Terraform providers. */
export const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
/** Its value. */
export const MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';
/** The only plugin protocol version this runtime speaks. */
export const PROTOCOL_VERSION = 6;

/** What the environment says about how to serve, or why serving is impossible. */
export type HandshakeEnv = { ok: true; clientCertPem: string | undefined } | { ok: false; message: RuntimeMessage };

/** Checks the environment Terraform sets when it launches a plugin. */
export function readHandshakeEnv(env: NodeJS.ProcessEnv): HandshakeEnv {
  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) return { ok: false, message: MESSAGES.notLaunchedByTerraform };
  const offered = env.PLUGIN_PROTOCOL_VERSIONS;
  if (offered !== undefined && offered.trim() !== '') {
    const versions = offered.split(',').map((v) => Number(v.trim()));
    if (!versions.includes(PROTOCOL_VERSION)) return { ok: false, message: MESSAGES.protocolUnsupported(offered) };
  }
  const cert = env.PLUGIN_CLIENT_CERT;
  return { ok: true, clientCertPem: cert && cert.trim() !== '' ? cert : undefined };
}

/** The handshake line (without newline); the certificate field is omitted when serving without TLS. */
export function handshakeLine(port: number, serverCertDer: Buffer | undefined): string {
  const base = `1|${PROTOCOL_VERSION}|tcp|127.0.0.1:${port}|grpc`;
  return serverCertDer ? `${base}|${serverCertDer.toString('base64').replace(/=+$/, '')}` : base;
}
