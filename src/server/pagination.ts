/** Cursor pagination shared by every list route. */
import { DEFAULT_PAGE_SIZE } from '../model';
import { ApiError } from './context';
import { MESSAGES } from './messages';

/** A page as every list route returns it. */
export interface Page<T> {
  readonly data: T[];
  readonly has_more: boolean;
  readonly next_cursor: string | null;
}

/** Encodes the position after row `seq` as an opaque cursor. */
export function encodeCursor(seq: number): string {
  return Buffer.from(`kf1:${seq}`, 'utf8').toString('base64url');
}

/** Decodes a cursor made by `encodeCursor`; a malformed one is a 400. */
export function decodeCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const m = /^kf1:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new ApiError(400, [MESSAGES.INVALID_CURSOR()]);
  return Number(m[1]);
}

/**
 * Runs a keyset-paginated query. `where` and `args` filter; rows come in `seq` order (ascending =
 * created order, descending = newest first). The query must select `seq`.
 */
export async function paginate<R extends { seq: number }, T>(
  run: (whereSql: string, args: unknown[], limit: number) => Promise<R[]>,
  opts: { limit?: number; cursor?: string; order: 'asc' | 'desc'; where: string[]; args: unknown[] },
  map: (row: R) => T | Promise<T>,
): Promise<Page<T>> {
  const limit = opts.limit ?? DEFAULT_PAGE_SIZE;
  const after = decodeCursor(opts.cursor);
  const where = [...opts.where];
  const args = [...opts.args];
  if (after !== undefined) {
    where.push(opts.order === 'asc' ? 'seq > ?' : 'seq < ?');
    args.push(after);
  }
  const rows = await run(where.length ? `WHERE ${where.join(' AND ')}` : '', args, limit + 1);
  const hasMore = rows.length > limit;
  const kept = hasMore ? rows.slice(0, limit) : rows;
  // One after another: a transaction's connection runs one statement at a time.
  const data: T[] = [];
  for (const row of kept) data.push(await map(row));
  return {
    data,
    has_more: hasMore,
    next_cursor: hasMore ? encodeCursor(kept[kept.length - 1].seq) : null,
  };
}
