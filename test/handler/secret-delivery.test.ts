import { mkdtempSync, readdirSync, readFileSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HandlerError, Limiter, deliverToCommand, deliverToFile } from '../../src/handler';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'keyform-delivery-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const SECRET = 'fsk_test_abcdefghijklmnopqrstuvwx';
const ctx = { keyId: 'key_1', prefix: 'fsk_test_', fingerprint: 'sha256:1', version: 3 };

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
    expect((err as HandlerError).code).toBe('KF-DELIVERY-FILE');
    expect((err as HandlerError).path).toEqual(['secret_delivery', 'file']);
    expect(JSON.stringify(err) + (err as Error).message).not.toContain(SECRET);
  });
});

describe('deliverToCommand', () => {
  it('pipes the secret to stdin and passes non-secret facts as environment variables', async () => {
    const out = join(dir, 'out');
    await deliverToCommand(`cat > ${out}; echo "$KEYFORM_KEY_ID $KEYFORM_KEY_VERSION" >> ${out}`, SECRET, ctx);
    expect(readFileSync(out, 'utf8')).toBe(`${SECRET}\nkey_1 3\n`);
  });

  it('reports a failing command with its status and stderr, with the secret cut out', async () => {
    const err = await deliverToCommand('read s; echo "cannot store $s" >&2; exit 3', SECRET, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HandlerError);
    expect((err as HandlerError).detail).toContain('exit status 3');
    expect((err as HandlerError).detail).toContain('cannot store [redacted]');
    expect((err as HandlerError).message).not.toContain(SECRET);
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
