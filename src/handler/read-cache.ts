/**
 * A per-process read cache for one kind of object. The first lookup in a partition (e.g. a merchant)
 * lists the whole partition once; every later lookup is served from memory, so refreshing N objects
 * costs about N / page-size requests instead of N. A miss falls back to a GET by id, because an object
 * can be outside the listing (another partition, or created after the listing).
 */
export class ReadCache<T extends { id: string }> {
  private readonly partitions = new Map<string, Promise<Map<string, T>>>();

  /**
   * @param list lists every object of a partition (paginated by the caller).
   * @param get fetches one object by id; resolves undefined when it does not exist.
   */
  constructor(
    private readonly list: (partition: string) => AsyncIterable<T>,
    private readonly get: (id: string) => Promise<T | undefined>,
  ) {}

  /** The object with `id`, looked up in `partition`'s listing first; undefined when it does not exist. */
  async lookup(partition: string, id: string): Promise<T | undefined> {
    const hit = (await this.loaded(partition)).get(id);
    return hit ?? this.get(id);
  }

  /** Every object of a partition's listing (listed on first use). */
  async all(partition: string): Promise<T[]> {
    return [...(await this.loaded(partition)).values()];
  }

  private loaded(partition: string): Promise<Map<string, T>> {
    let pending = this.partitions.get(partition);
    if (!pending) {
      pending = this.load(partition);
      this.partitions.set(partition, pending);
      // A failed listing is not cached: the next use retries it.
      pending.catch(() => this.partitions.delete(partition));
    }
    return pending;
  }

  /** Records a fresh copy of an object this process just wrote, in every loaded partition holding it. */
  remember(partition: string, item: T): void {
    const pending = this.partitions.get(partition);
    if (pending) void pending.then((m) => m.set(item.id, item), () => undefined);
  }

  /** Forgets an object (after deleting it). */
  forget(id: string): void {
    for (const pending of this.partitions.values()) void pending.then((m) => m.delete(id), () => undefined);
  }

  private async load(partition: string): Promise<Map<string, T>> {
    const map = new Map<string, T>();
    for await (const item of this.list(partition)) map.set(item.id, item);
    return map;
  }
}
