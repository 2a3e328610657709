/**
 * The create journal: crash-safe creation of every object that issues a secret (API keys,
 * authorizations) without any write on read.
 *
 * Why. Terraform can die after the API created an object but before the state recorded it; the next
 * apply plans a create again. The object must then be recovered, never duplicated, and never taken
 * from someone else: another workspace may declare an object with the same name, type and mode.
 *
 * How. Before a create request leaves the provider, an entry is written (durably: temporary file,
 * fsync, rename) to `<TF_DATA_DIR or .terraform>/keyform/pending/<entry>.json` in Terraform's working
 * directory. It holds a random nonce that never leaves this directory, the declared identity and the
 * exact request body. The request carries
 * - an Idempotency-Key derived from the nonce, so re-sending the same body within the server's replay
 *   window returns the same object and the same secret (nothing is rotated), and
 * - for keys, a commitment to the nonce (`metadata.keyform_create`, a hash that does not reveal it),
 *   so the object can be found again after that window.
 * Only the holder of the nonce can replay the create or name the commitment, so a workspace recovers
 * only its own crashed creates: another workspace's keys, whatever their names, are never candidates.
 *
 * Life of an entry: written before the request; marked `completed` with the object's id when the
 * response arrives; removed ("confirmed") when a refresh or plan of this working directory meets the
 * object in Terraform's state (a local file removal: plans send nothing but reads to the API); removed
 * when the request was refused outright (nothing was created). Terraform plans every resource in the
 * state (ReadResource on refresh, PlanResourceChange with its prior state with `-refresh=false`) in an
 * earlier process than any create of the same run, so an entry still present when a create runs names
 * an object this working directory's state does not hold: the orphan of a crashed run. The one
 * exception is a `-target` plan, which skips the other resources; adoption therefore also requires
 * that the orphan's secret was never used (`last_used_at` unset), so a key in service is never taken.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';

/** The kinds of object whose creation is journaled. */
export type JournaledKind = 'api_key' | 'authorization';

/** One create that was started. Holds no secret value, only the nonce that identifies the create. */
export interface PendingCreate {
  /** Entry id (its file name). */
  readonly id: string;
  readonly kind: JournaledKind;
  /** Hash of the declared identity (e.g. mid, type, mode and name of a key). */
  readonly identity: string;
  /** Random; never sent to the API (only values derived from it). */
  readonly nonce: string;
  /** The create request body exactly as sent. */
  readonly body: unknown;
  /** When the entry was written (ISO 8601). */
  readonly createdAt: string;
  /** The object's id, once the create's response arrived. */
  readonly objectId?: string;
}

/** Where pending creates are kept. */
export interface CreateJournal {
  /** Entries of `kind` and `identity` not yet confirmed, oldest first. */
  pending(kind: JournaledKind, identity: string): Promise<PendingCreate[]>;
  /** Records an entry durably; must complete before the create request is sent. */
  begin(entry: PendingCreate): Promise<void>;
  /** Records the id the create returned. */
  complete(entryId: string, objectId: string): Promise<void>;
  /** Forgets an entry (its request was refused, or its object no longer exists). */
  drop(entryId: string): Promise<void>;
  /** The object is in Terraform's state (or being destroyed): forgets its entries. Local only. */
  confirm(objectId: string): Promise<void>;
}

/** A fresh random nonce for one create. */
export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

/** A fresh entry id. */
export function newEntryId(): string {
  return `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
}

/** The commitment to a nonce stored on the server (metadata `keyform_create`): reveals nothing of it. */
export function createCommitment(nonce: string): string {
  return createHash('sha256').update(`keyform-commitment:${nonce}`).digest('hex').slice(0, 32);
}

/** The Idempotency-Key of a journaled create: derived from the nonce, unrelated to the commitment. */
export function createIdempotencyKey(nonce: string): string {
  return `keyform-create-${createHash('sha256').update(`keyform-idempotency:${nonce}`).digest('hex').slice(0, 40)}`;
}

/** Hash of a declared identity (a tuple of strings). */
export function identityHash(parts: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

/**
 * How long after a create its response can be replayed by re-sending it: the reference server keeps
 * idempotent responses 24 h; an hour of margin covers clocks that disagree.
 */
export const REPLAY_WINDOW_MS = 23 * 3600 * 1000;

/** The journal directory of Terraform's working directory (the provider's working directory). */
export function defaultJournalDir(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  return resolve(cwd, env.TF_DATA_DIR || '.terraform', 'keyform', 'pending');
}

/** A journal in memory: crash safety within one process only (tests, embedded use). */
export class MemoryJournal implements CreateJournal {
  private readonly entries = new Map<string, PendingCreate>();

  async pending(kind: JournaledKind, identity: string): Promise<PendingCreate[]> {
    return [...this.entries.values()].filter((e) => e.kind === kind && e.identity === identity).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async begin(entry: PendingCreate): Promise<void> {
    this.entries.set(entry.id, entry);
  }

  async complete(entryId: string, objectId: string): Promise<void> {
    const e = this.entries.get(entryId);
    if (e) this.entries.set(entryId, { ...e, objectId });
  }

  async drop(entryId: string): Promise<void> {
    this.entries.delete(entryId);
  }

  async confirm(objectId: string): Promise<void> {
    for (const [id, e] of this.entries) if (e.objectId === objectId) this.entries.delete(id);
  }
}

/** The journal as files in a directory, one per entry (see the file header). */
export class FileJournal implements CreateJournal {
  private loaded: Promise<Map<string, PendingCreate>> | undefined;

  constructor(private readonly dir: string) {}

  /** Reads the directory once per process; a missing directory is an empty journal (nothing created). */
  private entries(): Promise<Map<string, PendingCreate>> {
    this.loaded ??= (async () => {
      const map = new Map<string, PendingCreate>();
      let names: string[];
      try {
        names = await fs.readdir(this.dir);
      } catch {
        return map;
      }
      for (const name of names.filter((n) => n.endsWith('.json'))) {
        try {
          const e = JSON.parse(await fs.readFile(join(this.dir, name), 'utf8')) as PendingCreate;
          if (e && typeof e.id === 'string' && typeof e.nonce === 'string') map.set(e.id, e);
        } catch {
          // A torn write cannot happen (rename), but an unreadable file is not ours to guess about.
        }
      }
      return map;
    })();
    return this.loaded;
  }

  async pending(kind: JournaledKind, identity: string): Promise<PendingCreate[]> {
    return [...(await this.entries()).values()].filter((e) => e.kind === kind && e.identity === identity).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  private async write(entry: PendingCreate): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = join(this.dir, `${entry.id}.json`);
    const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    const handle = await fs.open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify(entry));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file);
  }

  async begin(entry: PendingCreate): Promise<void> {
    await this.write(entry);
    (await this.entries()).set(entry.id, entry);
  }

  async complete(entryId: string, objectId: string): Promise<void> {
    const map = await this.entries();
    const e = map.get(entryId);
    if (!e) return;
    const done = { ...e, objectId };
    map.set(entryId, done);
    await this.write(done);
  }

  async drop(entryId: string): Promise<void> {
    const map = await this.entries();
    if (!map.delete(entryId)) return;
    await fs.rm(join(this.dir, `${entryId}.json`), { force: true });
  }

  async confirm(objectId: string): Promise<void> {
    const map = await this.entries();
    for (const e of [...map.values()]) if (e.objectId === objectId) await this.drop(e.id);
  }
}
