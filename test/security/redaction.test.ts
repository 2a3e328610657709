/**
 * One redaction function for every layer: every secret prefix keyform knows is redacted by the entry
 * point of each layer that prints text (review report, handler error, provider diagnostic and log
 * line, server request log), and every prefix the server issues is on the one list.
 */
import { PassThrough } from 'node:stream';
import { KEY_PREFIXES, KEY_TYPES } from '../../src/model/catalog';
import { REDACTED, SECRET_PREFIXES, looksLikeSecret, redactSecrets } from '../../src/model/redaction';
import { wrapApiError, scrubSecrets } from '../../src/handler';
import { toProtoDiagnostic } from '../../src/provider/plugin/diagnostics';
import { createLogger } from '../../src/provider/plugin/logger';
import { KEYFORM_SERVE_OPTIONS } from '../../src/provider/keyform/serve-options';
import { runReview } from '../../src/review/run-review';
import { ACCESS_TOKEN_PREFIX, CLIENT_SECRET_PREFIX } from '../../src/server/auth';
import { AUTHORIZATION_CLIENT_ID_PREFIX, AUTHORIZATION_CLIENT_SECRET_PREFIX, AUTHORIZATION_TOKEN_PREFIX } from '../../src/server/authorizations';
import { newSecret } from '../../src/server/secrets';
import { startTestServer, type TestServer } from '../support/server';
import { change, key, plan } from '../review/plan-builder';

/** A secret of each prefix, shaped exactly as the server issues them (prefix + 32 random base62). */
const SECRETS = SECRET_PREFIXES.map((p) => ({ reason: p.origin, prefix: p.prefix, secret: newSecret(p.prefix) }));

/** The part of a secret after its prefix: it must appear in no output. */
function body(s: { prefix: string; secret: string }): string {
  return s.secret.slice(s.prefix.length);
}

/** A layer's entry point: text in (carrying a secret), what the layer prints out. */
interface Layer {
  readonly reason: string;
  print(secret: string): Promise<string>;
}

async function reviewWithName(secret: string, format: string): Promise<string> {
  const stdin = new PassThrough();
  stdin.end(JSON.stringify(plan([change('keyform_api_key.pay', ['create'], null, key({ name: `pay ${secret}`, description: secret }))])));
  return (await runReview('-', { format, stdin })).report;
}

let server: TestServer;

const LAYERS: Layer[] = [
  { reason: 'review, Markdown report of a key named with the secret', print: (s) => reviewWithName(s, 'markdown') },
  { reason: 'review, text report', print: (s) => reviewWithName(s, 'text') },
  { reason: 'review, JSON report', print: (s) => reviewWithName(s, 'json') },
  { reason: 'review, SARIF log', print: (s) => reviewWithName(s, 'sarif') },
  {
    reason: 'handler, API failure wrapped into a HandlerError (message and hint)',
    print: async (s) => {
      const e = wrapApiError({ status: 400, code: 'invalid', messages: [`value ${s} is not accepted`], hint: `remove ${s}` }, 'create', 'keyform_api_key.pay');
      return `${e.summary}\n${e.detail}\n${e.message}`;
    },
  },
  { reason: 'handler, scrubSecrets with the delivered value known', print: async (s) => scrubSecrets(`sh: echo ${s} failed`, [s]) },
  {
    reason: 'provider, diagnostic sent to Terraform',
    print: async (s) => {
      const d = toProtoDiagnostic({ severity: 'error', summary: `failed with ${s}`, detail: `detail ${s}` }, undefined, KEYFORM_SERVE_OPTIONS.redact);
      return `${d.summary}\n${d.detail}`;
    },
  },
  {
    reason: 'provider, TF_LOG line',
    print: async (s) => {
      let out = '';
      createLogger(KEYFORM_SERVE_OPTIONS.module, 'trace', (line) => (out += line), KEYFORM_SERVE_OPTIONS.redact).log('warn', `call failed: ${s}`, { error: `bad ${s}` });
      return out;
    },
  },
  {
    reason: 'server, request log line of a path holding a pasted secret',
    print: async (s) => {
      const before = server.stderr().length;
      const res = await fetch(`${server.url}/v1/pasted/${s}`);
      expect(res.status).toBe(404);
      // The log line is written when the response ends; wait until it is there.
      for (let i = 0; i < 200 && !server.stderr().slice(before).includes('/v1/pasted/'); i++) await new Promise((r) => setTimeout(r, 10));
      return server.stderr().slice(before);
    },
  },
];

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('the one list of secret prefixes', () => {
  it.each([
    ...KEY_TYPES.flatMap((t) => [
      { reason: `${t} test key prefix from the model`, prefix: KEY_PREFIXES[t].test },
      { reason: `${t} live key prefix from the model`, prefix: KEY_PREFIXES[t].live },
    ]),
    { reason: 'OAuth access token prefix the server issues', prefix: ACCESS_TOKEN_PREFIX },
    { reason: 'admin client secret prefix the server generates', prefix: CLIENT_SECRET_PREFIX },
    { reason: 'api_key authorization token prefix', prefix: AUTHORIZATION_TOKEN_PREFIX },
    { reason: 'oauth2 authorization client secret prefix', prefix: AUTHORIZATION_CLIENT_SECRET_PREFIX },
  ])('holds the $reason ($prefix)', ({ prefix }) => {
    expect(SECRET_PREFIXES.map((p) => p.prefix)).toContain(prefix);
    expect(redactSecrets(`x ${newSecret(prefix)} y`)).toBe(`x ${prefix}${REDACTED} y`);
  });

  it.each([
    { reason: 'a client id is not a secret', text: `${AUTHORIZATION_CLIENT_ID_PREFIX}abcdefabcdefabcdef` },
    { reason: 'a bare prefix (as state shows it) is not a secret', text: 'prefix fsk_test_ and fsk_' },
    { reason: 'a word that ends in a prefix is not a secret', text: 'mask_abcdefgh and disk_usage_total' },
    { reason: 'a key id is not a secret', text: 'key_3kT9abcdefABCDEF0123' },
  ])('leaves text alone: $reason', ({ text }) => {
    expect(looksLikeSecret(text)).toBe(false);
    expect(redactSecrets(text)).toBe(text);
  });

  it.each([
    { reason: 'a secret glued to an identifier by an underscore', text: 'KEY_fsk_test_abcdefghij', want: `KEY_fsk_test_${REDACTED}` },
    { reason: 'a JWT-shaped bearer', text: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijklmnop', want: `Bearer ${REDACTED}` },
    { reason: 'a known value of no known shape', text: 'stderr: hunter2-secret-value', known: ['hunter2-secret-value'], want: `stderr: ${REDACTED}` },
    { reason: 'a known value too short to redact safely stays (it would shred the text)', text: 'ok: true', known: ['true'], want: 'ok: true' },
  ])('redacts $reason', ({ text, known, want }) => {
    expect(redactSecrets(text, known)).toBe(want);
  });
});

describe.each(LAYERS)('$reason', (layer) => {
  it.each(SECRETS)('redacts a $prefix secret ($reason)', async (s) => {
    const out = await layer.print(s.secret);
    expect(out).not.toContain(body(s));
    expect(out).toContain(REDACTED);
  });
});
