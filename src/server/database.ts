/**
 * The one store interface of the reference server, and its SQLite implementation. Every route and
 * helper talks to `Sql` (async): statements are written once, in the SQL both stores understand
 * (`?` placeholders, ON CONFLICT ... DO UPDATE, RETURNING), and each implementation translates what it
 * must in one place (PostgreSQL's `$n` placeholders: postgres-store.ts).
 *
 * A request's work is one `transaction(fn)`: on SQLite an async mutex serializes transactions on the
 * one connection (BEGIN IMMEDIATE), so concurrent requests never interleave inside one; statements
 * outside a transaction take the same mutex, so none lands inside another request's transaction.
 */
import Database from 'better-sqlite3';

/** Bound values of a statement. */
export type SqlParams = readonly unknown[];

/** Runs statements: the store itself (each statement on its own) or an open transaction. */
export interface Sql {
  /** Which SQL the store speaks, for the few places that must differ (none in the routes). */
  readonly dialect: 'sqlite' | 'postgres';
  /** Every row of a query. */
  all<T>(sql: string, params?: SqlParams): Promise<T[]>;
  /** The first row of a query, or undefined. */
  one<T>(sql: string, params?: SqlParams): Promise<T | undefined>;
  /** Runs a statement; `changes` is the number of rows it inserted, updated or deleted. */
  run(sql: string, params?: SqlParams): Promise<{ changes: number }>;
}

/** How a transaction runs. */
export interface TransactionOptions {
  /** Reads only: PostgreSQL runs it on one consistent snapshot that can never fail to serialize. */
  readonly readOnly?: boolean;
  /**
   * Names of what the transaction changes (an object id, an Idempotency-Key hash). PostgreSQL takes an
   * advisory lock per name before the transaction starts, so writers of one object queue instead of
   * failing to serialize and retrying; SQLite serializes every transaction anyway.
   */
  readonly locks?: readonly string[];
}

/** A store: statements, transactions, health and close. */
export interface Store extends Sql {
  /**
   * Runs `fn` in one transaction: all of its statements commit together or none does. On PostgreSQL
   * `fn` may run again when the database reports a serialization failure or a deadlock, so it must
   * have no effect outside the transaction other than through its result.
   */
  transaction<T>(fn: (tx: Sql) => Promise<T>, opts?: TransactionOptions): Promise<T>;
  /**
   * Runs `fn` in a transaction that holds the store-wide lock (migrations, seed, server secret, admin
   * client): several instances starting together do this one after another, never interleaved.
   */
  exclusive<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /**
   * Brings the schema up to date inside an `exclusive` transaction (SQLite migrated when it opened);
   * `fresh` is true when the store had no schema before, i.e. this start created it.
   */
  migrate(tx: Sql): Promise<{ fresh: boolean }>;
  /** Resolves when the store answers a trivial query, rejects otherwise. */
  ping(): Promise<void>;
  /** Closes the store; later calls fail. */
  close(): Promise<void>;
}

/** A first-come, first-served async lock. */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  /** Waits for the lock; call the returned function to release it. */
  lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const acquired = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return acquired;
  }

  /** Runs `fn` holding the lock. */
  async run<T>(fn: () => Promise<T> | T): Promise<T> {
    const release = await this.lock();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

/** The SQLite store: one better-sqlite3 connection behind an async mutex. */
export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  private readonly mutex = new Mutex();
  private readonly statements = new Map<string, Database.Statement>();
  private readonly direct: Sql;

  /**
   * @param db an open, migrated connection (see store.ts `openStore`).
   * @param fresh whether opening it created the schema.
   */
  constructor(
    readonly db: Database.Database,
    private readonly fresh: boolean,
  ) {
    this.direct = {
      dialect: 'sqlite',
      all: async <T>(sql: string, params: SqlParams = []) => this.prepare(sql).all(...params) as T[],
      one: async <T>(sql: string, params: SqlParams = []) => this.prepare(sql).get(...params) as T | undefined,
      run: async (sql: string, params: SqlParams = []) => ({ changes: this.prepare(sql).run(...params).changes }),
    };
  }

  private prepare(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      // Dynamic SQL (filters, SET lists) has few shapes; the bound keeps a bug from growing it forever.
      if (this.statements.size > 500) this.statements.clear();
      this.statements.set(sql, s);
    }
    return s;
  }

  all<T>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.mutex.run(() => this.direct.all<T>(sql, params));
  }

  one<T>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return this.mutex.run(() => this.direct.one<T>(sql, params));
  }

  run(sql: string, params?: SqlParams): Promise<{ changes: number }> {
    return this.mutex.run(() => this.direct.run(sql, params));
  }

  transaction<T>(fn: (tx: Sql) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
    return this.mutex.run(async () => {
      // IMMEDIATE takes the write lock at BEGIN, so another process on the file (a second server on the
      // same directory) waits for it instead of failing at the first write.
      this.db.exec(opts.readOnly ? 'BEGIN' : 'BEGIN IMMEDIATE');
      try {
        const result = await fn(this.direct);
        this.db.exec('COMMIT');
        return result;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw e;
      }
    });
  }

  exclusive<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    return this.transaction(fn);
  }

  async migrate(): Promise<{ fresh: boolean }> {
    return { fresh: this.fresh };
  }

  async ping(): Promise<void> {
    await this.one('SELECT 1 AS ok');
  }

  async close(): Promise<void> {
    // Waits for the transaction in progress, if any.
    await this.mutex.run(() => this.db.close());
  }
}
