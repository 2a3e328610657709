/**
 * The plugin as a process: handshake line on stdout, mutual TLS, gRPC calls over HTTP/2,
 * signals and shutdown. Uses the bundled test fixture and a Node HTTP/2 client in Terraform's role.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { rmSync } from 'node:fs';
import * as http2 from 'node:http2';
import { dirname, join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { bundleProvider } from '../../support/terraform';
import { makeCertificate } from '../../../src/provider/plugin/certificate';
import { MAGIC_COOKIE_VALUE } from '../../../src/provider/plugin/handshake';
import { encodeBlock } from '../../../src/provider/plugin/cty-codec';
import { decodeMessage, encodeMessage, f, type MessageSpec, type ProtoMessage } from '../../../src/provider/plugin/protobuf-wire';
import { DynamicValue, RPC } from '../../../src/provider/plugin/tfplugin6-messages';
import { thingProvider } from './fixtures/thing-provider';

let bundle: string;
const client = makeCertificate();

beforeAll(async () => {
  bundle = await bundleProvider(join(__dirname, 'fixtures', 'thing-plugin-main.ts'));
});
afterAll(() => rmSync(dirname(bundle), { recursive: true, force: true }));

interface Plugin {
  child: ChildProcessWithoutNullStreams;
  line: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startPlugin(env: Record<string, string | undefined>): Promise<Plugin> {
  const child = spawn(process.execPath, [bundle], { env: { PATH: process.env.PATH, ...env } as NodeJS.ProcessEnv });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((done) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) done({ child, line: out.split('\n')[0], stdout: () => out, stderr: () => err, exited });
    });
    void exited.then(() => done({ child, line: '', stdout: () => out, stderr: () => err, exited }));
  });
}

const terraformEnv = (): Record<string, string> => ({
  TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE,
  PLUGIN_PROTOCOL_VERSIONS: '5,6',
  PLUGIN_CLIENT_CERT: client.certPem,
});

function connect(plugin: Plugin, withClientCert = true): http2.ClientHttp2Session {
  const [, , , address, , cert] = plugin.line.split('|');
  const der = Buffer.from(cert, 'base64');
  const serverPem = new X509Certificate(der).toString();
  return http2.connect(`https://${address}`, {
    ca: serverPem,
    servername: 'localhost',
    ...(withClientCert ? { key: client.keyPem, cert: client.certPem } : {}),
  });
}

function call(session: http2.ClientHttp2Session, path: string, req: MessageSpec, res: MessageSpec, msg: ProtoMessage): Promise<{ status: string; message?: ProtoMessage }> {
  return new Promise((done, fail) => {
    const payload = encodeMessage(req, msg);
    const frame = Buffer.alloc(5 + payload.length);
    frame.writeUInt32BE(payload.length, 1);
    payload.copy(frame, 5);
    const stream = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers' });
    const chunks: Buffer[] = [];
    let status = '';
    stream.on('response', (h) => (status = String(h['grpc-status'] ?? status)));
    stream.on('trailers', (h) => (status = String(h['grpc-status'] ?? status)));
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('error', fail);
    stream.on('end', () => {
      const body = Buffer.concat(chunks);
      done({ status, message: body.length >= 5 ? decodeMessage(res, body.subarray(5)) : undefined });
    });
    stream.end(frame);
  });
}

test('started by hand (no magic cookie) it explains itself on stderr and exits 1 with nothing on stdout', async () => {
  const p = await startPlugin({});
  expect(await p.exited).toBe(1);
  expect(p.stdout()).toBe('');
  expect(p.stderr()).toContain('must be started by Terraform');
  expect(p.stderr()).toContain('KF-PLUGIN-001');
});

test('a Terraform that does not offer protocol 6 is refused', async () => {
  const p = await startPlugin({ ...terraformEnv(), PLUGIN_PROTOCOL_VERSIONS: '4,5' });
  expect(await p.exited).toBe(1);
  expect(p.stderr()).toContain('KF-PLUGIN-002');
});

test('the handshake is exactly one line: core 1, protocol 6, tcp loopback, grpc, unpadded base64 DER of a localhost certificate', async () => {
  const p = await startPlugin(terraformEnv());
  try {
    expect(p.line).toMatch(/^1\|6\|tcp\|127\.0\.0\.1:\d+\|grpc\|[A-Za-z0-9+/]+$/);
    const cert = new X509Certificate(Buffer.from(p.line.split('|')[5], 'base64'));
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.verify(cert.publicKey)).toBe(true);
  } finally {
    p.child.kill('SIGTERM');
    await p.exited;
  }
  expect(p.stdout()).toBe(`${p.line}\n`);
});

test('gRPC over mutual TLS answers GetProviderSchema; unknown methods are UNIMPLEMENTED; Shutdown ends the process', async () => {
  const p = await startPlugin(terraformEnv());
  const session = connect(p);
  const schema = await call(session, '/tfplugin6.Provider/GetProviderSchema', RPC.GetProviderSchema.req, RPC.GetProviderSchema.res, {});
  expect(schema.status).toBe('0');
  expect(Object.keys(schema.message!.resource_schemas as object)).toEqual(['keyform_test_thing']);
  const stdio = await call(session, '/plugin.GRPCStdio/StreamStdio', {}, {}, {});
  expect(stdio.status).toBe('12');
  const unknownType = await call(session, '/tfplugin6.Provider/ValidateResourceConfig', RPC.ValidateResourceConfig.req, RPC.ValidateResourceConfig.res, { type_name: 'keyform_nope' });
  expect((unknownType.message!.diagnostics as ProtoMessage[])[0].summary).toBe('Unknown resource type "keyform_nope"');
  await call(session, '/plugin.GRPCController/Shutdown', {}, {}, {});
  expect(await p.exited).toBe(0);
  session.destroy();
});

test('a client without the certificate Terraform announced is rejected', async () => {
  const p = await startPlugin(terraformEnv());
  try {
    const session = connect(p, false);
    await expect(call(session, '/tfplugin6.Provider/GetProviderSchema', {}, {}, {})).rejects.toThrow();
    session.destroy();
  } finally {
    p.child.kill('SIGTERM');
    await p.exited;
  }
});

test('SIGINT is ignored (Terraform drives shutdown); SIGTERM exits cleanly', async () => {
  const p = await startPlugin(terraformEnv());
  p.child.kill('SIGINT');
  const session = connect(p);
  const schema = await call(session, '/tfplugin6.Provider/GetMetadata', RPC.GetMetadata.req, RPC.GetMetadata.res, {});
  expect(schema.status).toBe('0');
  session.destroy();
  p.child.kill('SIGTERM');
  expect(await p.exited).toBe(0);
});

test('over the wire, a write-only value from a client that does not allow write-only is refused (KF-PLUGIN-006); with the capability it is accepted', async () => {
  const p = await startPlugin(terraformEnv());
  const session = connect(p);
  try {
    const schema = thingProvider.resources.keyform_test_thing.schema;
    const config = { msgpack: encodeBlock(schema, { name: 'n', secret_wo: 'wo-value', rule: [] }) };
    // Field 3 holds the raw bytes of ClientCapabilities{write_only_attributes_allowed (2) = true},
    // written by hand so the test does not trust the runtime's own table.
    const req: MessageSpec = { type_name: f.string(1), config: f.msg(2, () => DynamicValue), capabilities_bytes: f.bytes(3) };
    const path = '/tfplugin6.Provider/ValidateResourceConfig';
    const without = await call(session, path, req, RPC.ValidateResourceConfig.res, { type_name: 'keyform_test_thing', config });
    const diags = without.message!.diagnostics as ProtoMessage[];
    expect(diags).toHaveLength(1);
    expect(diags[0].summary).toBe('"secret_wo" is write-only, and this Terraform cannot handle write-only attributes');
    expect(String(diags[0].detail)).toContain('KF-PLUGIN-006');
    const allowed = await call(session, path, req, RPC.ValidateResourceConfig.res, { type_name: 'keyform_test_thing', config, capabilities_bytes: Buffer.from('1001', 'hex') });
    expect(allowed.message!.diagnostics).toEqual([]);
  } finally {
    session.destroy();
    p.child.kill('SIGTERM');
    await p.exited;
  }
});
