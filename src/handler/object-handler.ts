/**
 * What the API-key and authorization handlers share: every API call through the process's limiter,
 * reads served from one listing per partition (read-cache.ts), creates through the crash-safe creator
 * (crash-safe-create.ts), and a journal entry confirmed once the object is in Terraform's state.
 */
import { KeyformApi, isNotFound } from './api';
import { LIST_PAGE_SIZE } from './api-limits';
import { Limiter } from './concurrency';
import { CrashSafeCreator } from './crash-safe-create';
import { CreateJournal, MemoryJournal } from './create-journal';
import { wrapApiError } from './errors';
import { ReadCache } from './read-cache';

/** The base of a handler of one kind of API object `T`. */
export abstract class ObjectHandler<T extends { id: string }> {
  /** One listing per partition per process; a miss is fetched by id. */
  protected readonly cache: ReadCache<T>;
  /** Journals each create before it is sent, and recovers a crashed one. */
  protected readonly creator: CrashSafeCreator;

  /** @param journal where creates are journaled; the provider passes the working directory's. */
  constructor(
    protected readonly api: KeyformApi,
    protected readonly limiter: Limiter,
    journal: CreateJournal | CrashSafeCreator = new MemoryJournal(),
  ) {
    this.cache = new ReadCache<T>(
      (partition) => this.listed(partition),
      (id) => this.getOrUndefined(id),
    );
    this.creator = journal instanceof CrashSafeCreator ? journal : new CrashSafeCreator(journal);
  }

  /** The API's listing of a partition, paged `limit` at a time. */
  protected abstract list(partition: string, limit: number): AsyncIterable<T>;

  /** The API's GET of one object (rejects with a 404 when it does not exist). */
  protected abstract get(id: string): Promise<T>;

  private async *listed(partition: string): AsyncIterable<T> {
    // The whole listing is one limiter slot, paged with the API's largest page.
    const items = await this.limiter.run(async () => {
      const out: T[] = [];
      for await (const x of this.list(partition, LIST_PAGE_SIZE)) out.push(x);
      return out;
    });
    yield* items;
  }

  /** The object `id`, or undefined when the API does not have it. */
  protected async getOrUndefined(id: string): Promise<T | undefined> {
    try {
      return await this.limiter.run(() => this.get(id));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** The object `id` is in Terraform's state: its journal entry (if any) is done. Local only. */
  async confirm(id: string): Promise<void> {
    if (id) await this.creator.entries.confirm(id);
  }

  /**
   * Removes (revokes or deletes) the object `id` with `call`; one that is already gone counts as
   * removed. Afterwards its journal entry is done and reads no longer see it.
   */
  protected async remove(id: string, operation: string, where: string, call: () => Promise<unknown>): Promise<void> {
    try {
      await this.limiter.run(call);
    } catch (err) {
      if (!isNotFound(err)) throw wrapApiError(err, operation, where);
    }
    await this.confirm(id);
    this.cache.forget(id);
  }
}
