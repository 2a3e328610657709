import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HandlerError, Limiter, checkDeliveryConfig, deliverToCommand, deliverToFile, deliveryEnvironment, deliveryIdentity, describeDelivery, keyDeliveryFacts } from '../../src/handler';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'keyform-delivery-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const SECRET = 'fsk_test_abcdefghijklmnopqrstuvwx';
const facts = keyDeliveryFacts({ id: 'key_1', prefix: 'fsk_test_', fingerprint: 'sha256:1', version: 3 });

describe('deliverToFile', () => {
  it('writes the secret with mode 0600, replacing an older file, leaving no temporary file', async () => {
    const path = join(dir, 'nested', 'key');
    await deliverToFile(path, 'old');
    await deliverToFile(path, SECRET);
    expect(readFileSync(path, 'utf8')).toBe(`${SECRET}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'nested'))).toEqual(['key']);
  });

  it('fails with the path and a fix, never the secret', async () => {
    const err = await deliverToFile(join(dir, 'missing-dir-is-a-file'), SECRET).then(() => deliverToFile(join(dir, 'missing-dir-is-a-file', 'x'), SECRET)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HandlerError);
    expect((err as HandlerError).code).toBe('KF-HANDLER-021');
    expect((err as HandlerError).path).toEqual(['secret_delivery', 'file']);
    expect(JSON.stringify(err) + (err as Error).message).not.toContain(SECRET);
  });
});

describe('deliverToCommand', () => {
  it('pipes the secret to stdin and passes non-secret facts as environment variables', async () => {
    const out = join(dir, 'out');
    await deliverToCommand({ command: `cat > ${out}; echo "$KEYFORM_KEY_ID $KEYFORM_KEY_VERSION" >> ${out}` }, SECRET, facts);
    expect(readFileSync(out, 'utf8')).toBe(`${SECRET}\nkey_1 3\n`);
  });

  it('never puts the secret in the command line or the environment of the processes it starts', async () => {
    const out = join(dir, 'seen');
    // The shell's own argv and environment, and those of a child it starts, as the OS reports them.
    await deliverToCommand({ command: `cat > /dev/null; tr '\\0' '\\n' < /proc/$$/cmdline > ${out}; tr '\\0' '\\n' < /proc/$$/environ >> ${out}; sh -c 'tr "\\0" "\\n" < /proc/$$/environ' >> ${out}` }, SECRET, facts);
    const seen = readFileSync(out, 'utf8');
    expect(seen).toContain('KEYFORM_KEY_ID=key_1');
    expect(seen).not.toContain(SECRET);
    expect(seen).not.toContain(SECRET.slice(9, 20));
  });

  it('runs with a minimal environment: PATH, HOME, inherit_env and env only, never the provider credentials or other variables', async () => {
    const out = join(dir, 'env');
    const environment = {
      PATH: process.env.PATH,
      HOME: '/home/ci',
      KEYFORM_CLIENT_SECRET: 'provider-client-secret-1234567890',
      KEYFORM_TOKEN: 'provider-token-1234567890',
      AWS_SECRET_ACCESS_KEY: 'cloud-secret-1234567890',
      VAULT_TOKEN: 'vault-token-for-the-store',
      UNRELATED: 'x',
    };
    await deliverToCommand(
      { command: `cat > /dev/null; env | sort > ${out}`, env: { VAULT_ADDR: 'https://vault.example' }, inheritEnv: ['VAULT_TOKEN', 'NOT_SET_ANYWHERE'] },
      SECRET,
      facts,
      { environment },
    );
    const vars = Object.fromEntries(
      readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    // The shell adds PWD (and SHLVL, _ in some shells) itself; nothing else may come from the provider.
    const own = Object.keys(vars).filter((k) => !['PWD', 'SHLVL', '_', 'OLDPWD'].includes(k));
    expect(own.sort()).toEqual(['HOME', 'KEYFORM_KEY_FINGERPRINT', 'KEYFORM_KEY_ID', 'KEYFORM_KEY_PREFIX', 'KEYFORM_KEY_VERSION', 'PATH', 'VAULT_ADDR', 'VAULT_TOKEN']);
    expect(vars).toMatchObject({ HOME: '/home/ci', VAULT_ADDR: 'https://vault.example', VAULT_TOKEN: 'vault-token-for-the-store', KEYFORM_KEY_ID: 'key_1' });
    expect(JSON.stringify(vars)).not.toMatch(/provider-client-secret|provider-token|cloud-secret/);
  });

  it('the facts cannot be overridden by env (a command always learns which credential it receives)', () => {
    expect(deliveryEnvironment({ command: 'x', env: { KEYFORM_KEY_ID: 'spoofed' } }, facts, {}).KEYFORM_KEY_ID).toBe('key_1');
  });

  it('reports a failing command with its status and the first line of its error output, with the secret cut out', async () => {
    const err = await deliverToCommand({ command: 'read s; echo "cannot store $s" >&2; echo "second line" >&2; exit 3' }, SECRET, facts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HandlerError);
    expect((err as HandlerError).code).toBe('KF-HANDLER-022');
    expect((err as HandlerError).detail).toContain('exit status 3');
    expect((err as HandlerError).detail).toContain('"cannot store [redacted]"');
    expect((err as HandlerError).detail).not.toContain('second line');
    expect((err as HandlerError).detail).toContain('TF_LOG=debug');
    expect((err as HandlerError).message).not.toContain(SECRET);
  });

  const leaks: Array<{ reason: string; script: string }> = [
    { reason: 'the whole secret', script: 'read s; echo "got $s" >&2; exit 1' },
    { reason: 'the random part without the prefix', script: 'read s; echo "got ${s#fsk_test_}" >&2; exit 1' },
    { reason: 'a 12-character fragment', script: 'read s; echo "got $(printf %s "$s" | cut -c12-23)" >&2; exit 1' },
    { reason: 'its base64 form', script: 'read s; printf %s "$s" | base64 >&2; exit 1' },
    { reason: 'its hex form', script: 'read s; printf %s "$s" | od -An -tx1 | tr -d " \\n" >&2; exit 1' },
    { reason: 'the secret behind terminal escapes', script: 'read s; printf "\\033[2K\\033[1Aok %s\\n" "$s" >&2; exit 1' },
  ];
  it.each(leaks)('no fragment of the secret reaches the diagnostic or the debug log: $reason', async ({ script }) => {
    const logged: string[] = [];
    const err = (await deliverToCommand({ command: script }, SECRET, facts, { debug: (m, f) => logged.push(m, JSON.stringify(f)) }).catch((e: unknown) => e)) as HandlerError;
    expect(err).toBeInstanceOf(HandlerError);
    const everything = `${err.message}\n${err.detail}\n${logged.join('\n')}`;
    expect(logged.length).toBe(2);
    for (let i = 0; i + 8 <= SECRET.length; i++) expect(everything).not.toContain(SECRET.slice(i, i + 8));
    const b64 = Buffer.from(SECRET).toString('base64');
    for (let i = 0; i + 8 <= b64.length - 2; i++) expect(everything).not.toContain(b64.slice(i, i + 8));
    expect(everything).not.toContain('\u001b');
  });

  it('logs the full redacted error output only through the debug log', async () => {
    const logged: Array<{ message: string; fields: Record<string, string | number> }> = [];
    const err = (await deliverToCommand({ command: 'read s; echo first >&2; echo "second $s" >&2; exit 4' }, SECRET, facts, { debug: (message, fields) => logged.push({ message, fields }) }).catch((e: unknown) => e)) as HandlerError;
    expect(err.detail).toContain('"first"');
    expect(logged).toEqual([{ message: 'secret_delivery command error output (redacted)', fields: { exit_status: 4, stderr: 'first\nsecond [redacted]\n' } }]);
  });

  it('stops a command that outlives its timeout, with every process it started, and says so', async () => {
    const marker = join(dir, 'still-running');
    const err = (await deliverToCommand({ command: `cat > /dev/null; (sleep 3; touch ${marker}) & sleep 30`, timeoutSeconds: 1 }, SECRET, facts).catch((e: unknown) => e)) as HandlerError;
    expect(err).toBeInstanceOf(HandlerError);
    expect(err.code).toBe('KF-HANDLER-023');
    expect(err.detail).toContain('did not finish within 1s');
    expect(err.path).toEqual(['secret_delivery', 'timeout']);
    // The background child was in the command's process group: it was stopped too.
    await new Promise((r) => setTimeout(r, 3500));
    expect(existsSync(marker)).toBe(false);
  });

  it('a command that ignores its input still gets the secret on stdin only, and succeeds', async () => {
    await expect(deliverToCommand({ command: 'true' }, SECRET, facts)).resolves.toBeUndefined();
  });
});

describe('delivery destinations', () => {
  it('a destination is its file, or its command with env and inherited names; the timeout is not part of it', () => {
    const base = { command: 'vault kv put secret/x value=-', env: { VAULT_ADDR: 'https://a' }, inheritEnv: ['VAULT_TOKEN'] };
    expect(deliveryIdentity({ ...base, timeoutSeconds: 5 })).toBe(deliveryIdentity(base));
    expect(deliveryIdentity({ ...base, env: { VAULT_ADDR: 'https://b' } })).not.toBe(deliveryIdentity(base));
    expect(deliveryIdentity({ ...base, inheritEnv: [] })).not.toBe(deliveryIdentity(base));
    expect(deliveryIdentity({ file: 'a' })).not.toBe(deliveryIdentity({ file: 'b' }));
    expect(deliveryIdentity(undefined)).not.toBe(deliveryIdentity({ file: 'a' }));
    expect(describeDelivery(base)).toBe('command "vault kv put secret/x value=-" (env VAULT_ADDR="https://a"; inherit_env VAULT_TOKEN)');
    expect(describeDelivery(undefined)).toBe('Terraform state (value)');
  });

  const checks: Array<{ reason: string; input: Parameters<typeof checkDeliveryConfig>[0]; codes: string[] }> = [
    { reason: 'a file alone is fine', input: { file: 'k' }, codes: [] },
    { reason: 'a command with env, inherited names and a timeout is fine', input: { command: 'c', envNames: ['A_1'], inheritEnv: ['VAULT_TOKEN'], timeout: '2m' }, codes: [] },
    { reason: 'both targets', input: { file: 'k', command: 'c' }, codes: ['KF-RULE-060'] },
    { reason: 'neither target', input: { fullyKnown: true }, codes: ['KF-RULE-061'] },
    { reason: 'an unknown target is judged at apply', input: { fullyKnown: false }, codes: [] },
    { reason: 'the provider secret cannot be inherited', input: { command: 'c', inheritEnv: ['KEYFORM_CLIENT_SECRET'] }, codes: ['KF-RULE-063'] },
    { reason: 'keyform facts cannot be set', input: { command: 'c', envNames: ['KEYFORM_KEY_ID'] }, codes: ['KF-RULE-063'] },
    { reason: 'a bad variable name', input: { command: 'c', envNames: ['A-B'] }, codes: ['KF-RULE-064'] },
    { reason: 'a timeout that is not a duration', input: { command: 'c', timeout: 'soon' }, codes: ['KF-RULE-050'] },
    { reason: 'a timeout over an hour', input: { command: 'c', timeout: '2h' }, codes: ['KF-RULE-065'] },
    { reason: 'a timeout on a file delivery', input: { file: 'k', timeout: '5s' }, codes: ['KF-RULE-062'] },
    { reason: 'env on a file delivery', input: { file: 'k', envNames: ['A'] }, codes: ['KF-RULE-062'] },
    { reason: 'an empty file is no destination (it passed validate before the rulebook; synth refused it)', input: { file: '' }, codes: ['KF-RULE-061'] },
  ];
  it.each(checks)('validation: $reason', ({ input, codes }) => {
    expect(checkDeliveryConfig(input).map((p) => p.message.code)).toEqual(codes);
  });
});

describe('Limiter', () => {
  it('never runs more than its limit at once, and runs everything', async () => {
    const limiter = new Limiter(3);
    let running = 0;
    let peak = 0;
    const releases: Array<() => void> = [];
    const tasks = Array.from({ length: 10 }, (_, i) =>
      limiter.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((r) => releases.push(r));
        running--;
        return i;
      }),
    );
    while (releases.length || running) {
      await new Promise((r) => setImmediate(r));
      releases.shift()?.();
    }
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(peak).toBe(3);
  });
});
