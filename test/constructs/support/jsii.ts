/**
 * The jsii toolchain for the bridge tests: builds keyform's assembly of a CDK line once per source
 * change (scripts/jsii-build.mjs, cached in the OS temp dir), fetches the jsii runtime with `npm pack`,
 * packs constructs and the line's framework (cdktf or cdktn), and drives the runtime process the way
 * Python/Java/Go/C# hosts do.
 */
import { ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** The jsii runtime version the bridge tests speak to. */
export const RUNTIME_VERSION = '1.140.0';

const ROOT = resolve(__dirname, '..', '..', '..');
const CACHE = join(tmpdir(), 'keyform-jsii-cache');

/** A CDK line as its jsii assembly names it. */
export interface JsiiLine {
  /** The line (`cdktf` or `cdktn`), also the framework's assembly name. */
  readonly framework: 'cdktf' | 'cdktn';
  /** keyform's assembly on this line. */
  readonly assembly: string;
}

/** Both lines keyform's assemblies are built for (scripts/cdk-lines.mjs). */
export const JSII_LINES: readonly JsiiLine[] = [
  { framework: 'cdktf', assembly: 'keyform' },
  { framework: 'cdktn', assembly: 'keyform-cdktn' },
];

/** A package a jsii host loads: its name, version and tarball. */
export interface JsiiPackage {
  readonly name: string;
  readonly version: string;
  readonly tarball: string;
}

/** Paths of everything a jsii host needs for one line. */
export interface JsiiArtifacts {
  readonly line: JsiiLine;
  /** The staging package with `.jsii` and `dist/`. */
  readonly buildDir: string;
  /** What to load, in order: constructs, the framework, keyform's assembly. */
  readonly packages: readonly JsiiPackage[];
  readonly runtimeScript: string;
  readonly kernelCache: string;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Runs `fn` while holding a directory lock, so parallel test files build only once. */
async function withLock<T>(name: string, fn: () => T): Promise<T> {
  const lock = join(CACHE, `${name}.lock`);
  mkdirSync(CACHE, { recursive: true });
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than ten minutes was left by a killed run.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      await sleep(200);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function npmPack(spec: string, dest: string): string {
  mkdirSync(dest, { recursive: true });
  const out = execFileSync('npm', ['pack', spec, '--ignore-scripts', '--pack-destination', dest, '--json'], {
    cwd: dest,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return join(dest, JSON.parse(out)[0].filename);
}

/** A short hash of the construct library's sources and the build script. */
function sourceKey(): string {
  const hash = createHash('sha256');
  const add = (file: string) => hash.update(file).update(readFileSync(join(ROOT, file)));
  ['scripts/jsii-build.mjs', 'scripts/cdk-lines.mjs', 'src/index.ts', 'src/model/catalog.ts', 'src/model/redaction.ts', 'src/version.ts', 'package.json'].forEach(add);
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir)).sort()) {
      const rel = `${dir}/${entry}`;
      if (statSync(join(ROOT, rel)).isDirectory()) walk(rel);
      else add(rel);
    }
  };
  walk('src/constructs');
  walk('src/cdktn');
  return hash.digest('hex').slice(0, 16);
}

/** Builds (or reuses) keyform's assembly of a line and gathers the runtime and dependency tarballs. */
export async function jsiiArtifacts(line: JsiiLine): Promise<JsiiArtifacts> {
  return withLock('build', () => {
    // One directory per source state: a run with other sources never deletes the assembly this one loads.
    const buildRoot = join(CACHE, `build-${sourceKey()}`);
    for (const entry of existsSync(CACHE) ? readdirSync(CACHE) : []) {
      const old = join(CACHE, entry);
      if (entry.startsWith('build-') && old !== buildRoot && Date.now() - statSync(old).mtimeMs > 86_400_000) rmSync(old, { recursive: true, force: true });
    }
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'jsii-build.mjs'), '--out', buildRoot, '--line', line.framework], { stdio: ['ignore', 'pipe', 'pipe'] });
    const buildDir = join(buildRoot, line.framework);
    const keyformTarball = join(buildDir, 'dist', 'js', readdirSync(join(buildDir, 'dist', 'js')).find((f) => f.endsWith('.jsii.tgz'))!);

    const deps = join(CACHE, 'deps');
    const pkgVersion = (name: string) => JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version as string;
    const packed = (name: string): JsiiPackage => {
      const version = pkgVersion(name);
      const file = join(deps, `${name}-${version}.tgz`);
      return { name, version, tarball: existsSync(file) ? file : npmPack(join(ROOT, 'node_modules', name), deps) };
    };
    const keyformVersion = JSON.parse(readFileSync(join(buildDir, 'package.json'), 'utf8')).version as string;
    const packages = [packed('constructs'), packed(line.framework), { name: line.assembly, version: keyformVersion, tarball: keyformTarball }];

    // `npm install @jsii/runtime` fails (a dependency is missing from the registry); its webpack bundle is self-contained.
    const runtimeDir = join(CACHE, `runtime-${RUNTIME_VERSION}`);
    const runtimeScript = join(runtimeDir, 'package', 'webpack', 'bin', 'jsii-runtime.js');
    if (!existsSync(runtimeScript)) {
      const tarball = npmPack(`@jsii/runtime@${RUNTIME_VERSION}`, runtimeDir);
      execFileSync('tar', ['xzf', tarball, '-C', runtimeDir]);
    }
    return { line, buildDir, packages, runtimeScript, kernelCache: join(CACHE, 'kernel') };
  });
}

/** A reference to an object living in the jsii runtime. */
export type ObjRef = { '$jsii.byref': string };

/** An error the runtime reported for a request. */
export class JsiiError extends Error {
  constructor(
    message: string,
    public readonly errorName: string | undefined,
  ) {
    super(message);
  }
}

/** A host of the jsii runtime process: one JSON request per line in, one response per line out. */
export class JsiiHost {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly pending: Array<(msg: any) => void> = [];
  private stderr = '';
  private readonly ready: Promise<any>;

  constructor(artifacts: JsiiArtifacts) {
    this.proc = spawn(process.execPath, [artifacts.runtimeScript], {
      env: { ...process.env, JSII_RUNTIME_PACKAGE_CACHE_ROOT: artifacts.kernelCache, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' },
    });
    this.proc.stderr.on('data', (d) => (this.stderr += d));
    createInterface({ input: this.proc.stdout }).on('line', (line) => this.pending.shift()?.(JSON.parse(line)));
    this.ready = new Promise((r) => this.pending.push(r));
  }

  /** The runtime's greeting, e.g. `{ hello: '@jsii/runtime@1.140.0' }`. */
  public hello(): Promise<any> {
    return this.ready;
  }

  /** Sends one request and returns its `ok` payload, or throws the runtime's error. */
  public async request(req: Record<string, unknown>): Promise<any> {
    await this.ready;
    const response = await new Promise<any>((resolveResponse, reject) => {
      const onExit = (code: number | null) => reject(new Error(`jsii runtime exited (${code}): ${this.stderr}`));
      this.proc.once('exit', onExit);
      this.pending.push((msg) => {
        this.proc.off('exit', onExit);
        resolveResponse(msg);
      });
      this.proc.stdin.write(`${JSON.stringify(req)}\n`);
    });
    if ('error' in response) throw new JsiiError(response.error, response.name);
    if (!('ok' in response)) throw new Error(`unexpected jsii response ${JSON.stringify(response)}`);
    return response.ok;
  }

  public load(name: string, version: string, tarball: string): Promise<any> {
    return this.request({ api: 'load', name, version, tarball });
  }

  public async create(fqn: string, args: unknown[] = []): Promise<ObjRef> {
    return this.request({ api: 'create', fqn, args });
  }

  public async invoke(objref: ObjRef, method: string, args: unknown[] = []): Promise<any> {
    return (await this.request({ api: 'invoke', objref, method, args })).result;
  }

  public async sinvoke(fqn: string, method: string, args: unknown[] = []): Promise<any> {
    return (await this.request({ api: 'sinvoke', fqn, method, args })).result;
  }

  public async get(objref: ObjRef, property: string): Promise<any> {
    return (await this.request({ api: 'get', objref, property })).value;
  }

  public async sget(fqn: string, property: string): Promise<any> {
    return (await this.request({ api: 'sget', fqn, property })).value;
  }

  /** Ends the runtime process. */
  public async close(): Promise<void> {
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.stdin.write('{"exit":0}\n');
    this.proc.stdin.end();
    await exited;
  }
}

/** A jsii struct argument. */
export function struct(fqn: string, data: Record<string, unknown>): Record<string, unknown> {
  return { '$jsii.struct': { fqn, data } };
}

/** A jsii enum argument. */
export function enumValue(fqn: string, member: string): Record<string, unknown> {
  return { '$jsii.enum': `${fqn}/${member}` };
}
