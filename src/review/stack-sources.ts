/**
 * Where a plan's resources come from: the configuration file and line that declares each root-module
 * resource, the CDKTF construct path when the configuration was synthesized by CDKTF, and the stack's
 * name. Read from the configuration files beside the plan, because Terraform's plan JSON carries
 * neither: it keeps no source positions, and it drops the `//` comment properties where CDKTF writes
 * each resource's construct path (`"//": {"metadata": {"path": "stack/pay", ...}}`) and the stack's
 * name (top-level `"//": {"metadata": {"stackName": ...}}`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

/** Where one resource is declared. */
export interface ResourceSource {
  /** The configuration file (absolute path); unknown when the review was read back from JSON. */
  readonly file?: string;
  /** 1-based line of the declaration, when the file is laid out one key per line. */
  readonly line?: number;
  /** The CDKTF construct path, e.g. `credentials/payments-svc`. */
  readonly constructPath?: string;
}

/** The sources of one stack directory. */
export interface StackSources {
  /** The CDKTF stack name, when the configuration was synthesized by CDKTF. */
  readonly stackName?: string;
  /** By resource address without its instance key (`keyform_api_key.pay`). */
  readonly resources: ReadonlyMap<string, ResourceSource>;
}

/** No sources (a plan read from stdin, or a directory without configuration files). */
export const NO_SOURCES: StackSources = { resources: new Map() };

/** The address a declaration has: the instance key (`[0]`, `["a"]`) removed. */
export function declarationAddress(address: string): string {
  return address.replace(/\[[^\]]*\]$/, '');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const HCL_RESOURCE = /^\s*resource\s+"([^"]+)"\s+"([^"]+)"/;

/** Declarations of an HCL file, by address. */
function hclSources(file: string, text: string, into: Map<string, ResourceSource>): void {
  text.split('\n').forEach((line, i) => {
    const m = HCL_RESOURCE.exec(line);
    if (m && !into.has(`${m[1]}.${m[2]}`)) into.set(`${m[1]}.${m[2]}`, { file, line: i + 1 });
  });
}

/** Declarations of a JSON configuration file (CDKTF's cdk.tf.json), with construct paths. */
function jsonSources(file: string, text: string, into: Map<string, ResourceSource>): string | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(doc)) return undefined;
  // Lines: a pretty-printed document has one key per line; depth follows the indentation.
  const lines = new Map<string, number>();
  const path: string[] = [];
  text.split('\n').forEach((line, i) => {
    const m = /^(\s*)"((?:[^"\\]|\\.)*)"\s*:\s*[{[]/.exec(line);
    if (!m) return;
    const depth = Math.floor(m[1].length / 2);
    if (depth < 1) return;
    path.length = depth - 1;
    path.push(m[2]);
    if (depth === 3 && path[0] === 'resource') lines.set(`${path[1]}.${path[2]}`, i + 1);
  });
  const resources = doc.resource;
  if (isObject(resources)) {
    for (const [type, byName] of Object.entries(resources)) {
      if (!isObject(byName)) continue;
      for (const [name, body] of Object.entries(byName)) {
        const meta = isObject(body) && isObject(body['//']) && isObject(body['//'].metadata) ? body['//'].metadata : undefined;
        const constructPath = meta && typeof meta.path === 'string' ? meta.path : undefined;
        const address = `${type}.${name}`;
        if (!into.has(address)) into.set(address, { file, line: lines.get(address), ...(constructPath ? { constructPath } : {}) });
      }
    }
  }
  const top = isObject(doc['//']) && isObject(doc['//'].metadata) ? doc['//'].metadata : undefined;
  return top && typeof top.stackName === 'string' ? top.stackName : undefined;
}

/** Reads the configuration files (`*.tf`, `*.tf.json`) of a stack directory; never throws. */
export function readStackSources(dir: string): StackSources {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return NO_SOURCES;
  }
  const resources = new Map<string, ResourceSource>();
  let stackName: string | undefined;
  for (const name of names) {
    if (!name.endsWith('.tf') && !name.endsWith('.tf.json')) continue;
    const file = join(dir, name);
    let text: string;
    try {
      if (!statSync(file).isFile()) continue;
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    if (name.endsWith('.tf.json')) stackName = jsonSources(file, text, resources) ?? stackName;
    else hclSources(file, text, resources);
  }
  return { stackName, resources };
}

/** A stack's display name: the CDKTF stack name, else the directory's name. */
export function stackNameOf(dir: string, sources: StackSources): string {
  return sources.stackName ?? basename(dir);
}
