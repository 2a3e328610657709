/**
 * Reads `keyform_api_key` resources from a Terraform state: a raw state file (`terraform.tfstate`,
 * format version 4) or `terraform show -json` output. Only the fields the rotation report needs
 * are taken; secret attributes are never read.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { rotationMessages } from './messages';
import { Scrubber } from '../review/secret-scrub';

/** A key as the report sees it. */
export interface KeyRecord {
  /** Terraform address (state) or `api:<id>` (API listing). */
  readonly address: string;
  readonly id: string | null;
  readonly name: string;
  readonly mode: string | null;
  readonly type: string | null;
  readonly mid: string | null;
  /** The declared rotation, or null when none is declared. */
  readonly rotation: { readonly every: string; readonly gracePeriod: string | null } | null;
  readonly createdAt: string | null;
  readonly rotatedAt: string | null;
  readonly expiresAt: string | null;
  readonly version: number | null;
  /** The stack whose state declares it, in a report over several stacks (absent otherwise). */
  readonly stack?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const s = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Builds a record from a resource's attribute values. */
export function keyFromAttributes(address: string, a: Obj): KeyRecord {
  let rot: unknown = a.rotation;
  if (Array.isArray(rot)) rot = rot[0];
  const rotation = isObj(rot) && s(rot.every) ? { every: s(rot.every)!, gracePeriod: s(rot.grace_period) } : null;
  return {
    address,
    id: s(a.id),
    name: s(a.name) ?? address,
    mode: s(a.mode),
    type: s(a.type),
    mid: s(a.mid),
    rotation,
    createdAt: s(a.created_at),
    rotatedAt: s(a.rotated_at),
    expiresAt: s(a.expires_at),
    version: typeof a.version === 'number' ? a.version : typeof a.version === 'string' && a.version !== '' ? Number(a.version) : null,
  };
}

function fromShowJsonModule(module: unknown, out: KeyRecord[]): void {
  if (!isObj(module)) return;
  for (const r of Array.isArray(module.resources) ? module.resources : []) {
    if (isObj(r) && r.mode === 'managed' && r.type === 'keyform_api_key' && isObj(r.values)) {
      out.push(keyFromAttributes(String(r.address), r.values));
    }
  }
  for (const child of Array.isArray(module.child_modules) ? module.child_modules : []) fromShowJsonModule(child, out);
}

function indexSuffix(key: unknown): string {
  if (key === undefined || key === null) return '';
  return typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(key)}]`;
}

/**
 * The keyform API keys of a parsed state document.
 * @param label what to call the input in errors (a path or `stdin`)
 */
export function keysOfState(doc: unknown, label: string): KeyRecord[] {
  if (!isObj(doc)) throw rotationMessages.notAState(label, 'not a JSON object');
  const out: KeyRecord[] = [];
  if (typeof doc.version === 'number' && Array.isArray(doc.resources)) {
    for (const r of doc.resources) {
      if (!isObj(r) || r.mode !== 'managed' || r.type !== 'keyform_api_key') continue;
      const base = `${typeof r.module === 'string' && r.module ? `${r.module}.` : ''}keyform_api_key.${String(r.name)}`;
      for (const inst of Array.isArray(r.instances) ? r.instances : []) {
        if (isObj(inst) && isObj(inst.attributes)) out.push(keyFromAttributes(`${base}${indexSuffix(inst.index_key)}`, inst.attributes));
      }
    }
    return out;
  }
  if (typeof doc.format_version === 'string') {
    if ('resource_changes' in doc) throw rotationMessages.notAState(label, 'a saved plan');
    if (!('values' in doc)) return out; // an empty state: `terraform show -json` writes only the version
    if (!isObj(doc.values)) throw rotationMessages.notAState(label, 'JSON whose `values` is not an object');
    fromShowJsonModule(doc.values.root_module, out);
    return out;
  }
  throw rotationMessages.notAState(label, 'JSON without `version` or `format_version`');
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as string));
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads the keys of a state file, or of stdin when `path` is `-`. */
export async function loadStateKeys(path: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<KeyRecord[]> {
  let text: string;
  if (path === '-') text = await readAll(stdin);
  else {
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR') throw rotationMessages.stateNotFound(path);
      throw e;
    }
  }
  const label = path === '-' ? 'stdin' : path;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw rotationMessages.stateNotJson(label);
  }
  return keysOfState(doc, label);
}

/** Reads the keys of the current state of the Terraform working directory `dir` (`terraform show -json`). */
export function loadWorkingDirKeys(dir: string, terraform = 'terraform'): Promise<KeyRecord[]> {
  return new Promise((ok, fail) => {
    execFile(terraform, ['show', '-json', '-no-color'], { cwd: dir, maxBuffer: 1 << 30, env: { ...process.env, CHECKPOINT_DISABLE: '1' } }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') return fail(rotationMessages.terraformMissing(terraform));
      if (err) return fail(rotationMessages.terraformFailed(dir, new Scrubber().scrub(String(stderr || err.message)).split('\n').filter(Boolean).slice(-6).join(' ')));
      try {
        ok(keysOfState(JSON.parse(stdout), `terraform show -json in ${dir}`));
      } catch (e) {
        fail(e);
      }
    });
  });
}
