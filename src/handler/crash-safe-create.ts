/**
 * One creation pattern for every object that issues a secret (API keys, authorizations): journal the
 * create before sending it, recover this working directory's own crashed creates before creating
 * anew. See create-journal.ts for why this can neither duplicate nor steal.
 *
 * Recovering a journaled create, in order:
 * 1. Find the object on the server: by the nonce's commitment (keys) or the id the entry recorded.
 * 2. An object whose secret was used (`last_used_at`) is never taken over: the apply stops with an
 *    error naming it and how to resolve it (import it knowingly, or revoke it).
 * 3. Within the replay window, re-send the create exactly as journaled with the same Idempotency-Key:
 *    the server returns the object with its original secret (or creates it now, when the crashed
 *    request never committed). Nothing is rotated, so whoever already received the secret keeps it.
 * 4. After the window, a key found by its commitment is rotated to obtain a secret (it was never used,
 *    so no consumer holds a working copy); an entry whose object is not found is dropped.
 */
import { errorStatus } from './api';
import { CreateJournal, JournaledKind, PendingCreate, REPLAY_WINDOW_MS, createIdempotencyKey, newEntryId, newNonce } from './create-journal';
import { HandlerError } from './errors';
import { MESSAGES } from './messages';

/** What the pattern needs from one kind of object. `W` is the object with its secret. */
export interface CrashSafeOps<T extends { id: string }, W extends T> {
  readonly kind: JournaledKind;
  /** Hash of the declared identity the journal groups entries by. */
  readonly identity: string;
  /** Sends a create; the body carries the commitment of `nonce` when the kind has one. */
  send(body: unknown, idempotencyKey: string): Promise<W>;
  /** The request body of a fresh create with `nonce`. */
  freshBody(nonce: string): unknown;
  /** The live object a journaled create made, if it can be found (by commitment or recorded id). */
  find(entry: PendingCreate): Promise<T | undefined>;
  /** The live object with this id, if any. */
  get(id: string): Promise<T | undefined>;
  /** When the object's secret was last used, or null. */
  lastUsed(o: T): string | null;
  /** Obtains a fresh secret for an unused orphan past the replay window; absent when the kind cannot. */
  rotateUnused?(o: T): Promise<W>;
  /** Removes an object this call created by mistake (a duplicate nobody has seen). */
  discard(id: string): Promise<void>;
  /** Words for messages, e.g. `API key "payments"`. */
  readonly where: string;
}

/** The outcome: the object with its secret, and whether it was a recovered orphan. */
export interface CrashSafeResult<W> {
  readonly object: W;
  readonly adopted: boolean;
}

/** Whether an API failure proves that nothing was created (the request was refused as such). */
function refusedOutright(err: unknown): boolean {
  const s = errorStatus(err);
  return s !== undefined && s >= 400 && s < 500 && s !== 408 && s !== 409 && s !== 429;
}

/** Creates with the journal, or recovers this working directory's orphan of a crashed create. */
export class CrashSafeCreator {
  /** Entries taken by a create of this process: one entry, one resource. */
  private readonly taken = new Set<string>();

  constructor(
    private readonly journal: CreateJournal,
    private readonly now: () => number = Date.now,
  ) {}

  /** The journal (reads confirm entries through it). */
  get entries(): CreateJournal {
    return this.journal;
  }

  async create<T extends { id: string }, W extends T>(ops: CrashSafeOps<T, W>): Promise<CrashSafeResult<W>> {
    for (const entry of await this.journal.pending(ops.kind, ops.identity)) {
      if (this.taken.has(entry.id)) continue;
      this.taken.add(entry.id);
      const recovered = await this.recover(entry, ops);
      if (recovered) return { object: recovered, adopted: true };
    }
    const nonce = newNonce();
    const body = ops.freshBody(nonce);
    const entry: PendingCreate = { id: newEntryId(), kind: ops.kind, identity: ops.identity, nonce, body, createdAt: new Date(this.now()).toISOString() };
    this.taken.add(entry.id);
    await this.journal.begin(entry);
    let created: W;
    try {
      created = await ops.send(body, createIdempotencyKey(nonce));
    } catch (err) {
      // A refusal created nothing; any other failure may have, and the next apply recovers it.
      if (refusedOutright(err)) await this.journal.drop(entry.id);
      throw err;
    }
    await this.journal.complete(entry.id, created.id);
    return { object: created, adopted: false };
  }

  private async recover<T extends { id: string }, W extends T>(entry: PendingCreate, ops: CrashSafeOps<T, W>): Promise<W | undefined> {
    const known = await ops.find(entry);
    if (known && ops.lastUsed(known)) {
      throw new HandlerError(MESSAGES.orphanInUse(ops.where, known.id, entry.createdAt, ops.lastUsed(known)!));
    }
    if (this.now() - Date.parse(entry.createdAt) < REPLAY_WINDOW_MS) {
      let replayed: W;
      try {
        replayed = await ops.send(entry.body, createIdempotencyKey(entry.nonce));
      } catch (err) {
        if (!refusedOutright(err)) throw err;
        await this.journal.drop(entry.id);
        return undefined;
      }
      if (!known || replayed.id === known.id) {
        // The replay of the crashed create, or the create itself when it had never committed. A
        // replayed response is as old as the create: the object must still be live and unused.
        const current = known ?? (await ops.get(replayed.id));
        if (!current) {
          await this.journal.drop(entry.id);
          return undefined;
        }
        if (ops.lastUsed(current)) throw new HandlerError(MESSAGES.orphanInUse(ops.where, current.id, entry.createdAt, ops.lastUsed(current)!));
        await this.journal.complete(entry.id, replayed.id);
        return replayed;
      }
      // The server no longer had the response (or another credential asked): that request made a new
      // object, which nobody has seen. Remove it and take over the orphan below.
      await ops.discard(replayed.id);
    }
    if (!known) {
      await this.journal.drop(entry.id);
      return undefined;
    }
    if (!ops.rotateUnused) throw new HandlerError(MESSAGES.orphanNotRecoverable(ops.where, known.id, entry.createdAt));
    const rotated = await ops.rotateUnused(known);
    await this.journal.complete(entry.id, known.id);
    return rotated;
  }
}
