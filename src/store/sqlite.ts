/**
 * SQLite adapter of the Db port (better-sqlite3, synchronous under the hood).
 * - `$1..$n` placeholders are translated to `?`.
 * - WAL journal, busy timeout, foreign keys on.
 * - One connection; every top-level statement and every transaction goes through one promise mutex, so an
 *   async transaction can never interleave with other statements on the same connection.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from './db';
import { Mutex, normaliseParam, toPositional } from './sql';

export interface SqliteOptions {
  /** Busy timeout for locks held by other processes, ms. Default 5000. */
  busyTimeoutMs?: number;
}

interface Shared {
  raw: Database.Database;
  mutex: Mutex;
  refs: number;
  cache: Map<string, Prepared>;
}

/**
 * One connection per file per process. better-sqlite3 is synchronous: a second connection in the same process
 * would block the event loop in SQLite's busy handler while the first one waits on an `await` inside its
 * transaction (a self-deadlock). Handles on the same file therefore share the connection and the mutex; other
 * processes are coordinated by SQLite's file locks and the busy timeout.
 */
const shared = new Map<string, Shared>();

/** Opens `sqlite::memory:` or `sqlite:<path>` (the folder is created). */
export function openSqlite(url: string, options: SqliteOptions = {}): Db {
  const file = sqlitePath(url);
  const key = file === ':memory:' ? null : path.resolve(file);
  const existing = key ? shared.get(key) : undefined;
  if (existing) {
    existing.refs++;
    return new SqliteDb(existing, key);
  }
  if (key) fs.mkdirSync(path.dirname(key), { recursive: true });
  const raw = new Database(key ?? ':memory:');
  if (key) raw.pragma('journal_mode = WAL');
  raw.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
  raw.pragma('foreign_keys = ON');
  raw.pragma('synchronous = NORMAL');
  // Hot pages (conversation state, open consultations) stay in memory: a 64 MiB page cache instead of 2 MiB, and
  // reads through a memory map instead of a pread() per page.
  raw.pragma('cache_size = -65536');
  if (key) raw.pragma('mmap_size = 268435456');
  const conn: Shared = { raw, mutex: new Mutex(), refs: 1, cache: new Map() };
  if (key) shared.set(key, conn);
  return new SqliteDb(conn, key);
}

export function sqlitePath(url: string): string {
  if (!url.startsWith('sqlite:')) throw new Error(`not a sqlite url: ${url}`);
  let rest = url.slice('sqlite:'.length);
  if (rest.startsWith('//')) rest = rest.slice(2);
  if (rest === ':memory:' || rest === '') return ':memory:';
  return rest;
}

type Statement = Database.Statement<unknown[], unknown>;
type Prepared = { stmt: Statement; map: (p: readonly unknown[]) => unknown[] };

class SqliteDb implements Db {
  readonly kind = 'sqlite' as const;
  private closed = false;
  private readonly raw: Database.Database;
  private readonly mutex: Mutex;
  private readonly cache: Map<string, Prepared>;

  constructor(
    private readonly conn: Shared,
    private readonly key: string | null,
  ) {
    this.raw = conn.raw;
    this.mutex = conn.mutex;
    this.cache = conn.cache;
  }

  query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.mutex.run(async () => this.queryNow<T>(sql, params));
  }

  execute(sql: string, params: readonly unknown[] = []): Promise<number> {
    return this.mutex.run(async () => this.executeNow(sql, params));
  }

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return this.mutex.run(() => this.runTransaction(fn, 0));
  }

  close(): Promise<void> {
    return this.mutex.run(async () => {
      if (this.closed) return;
      this.closed = true;
      if (--this.conn.refs > 0) return;
      if (this.key) shared.delete(this.key);
      this.cache.clear();
      this.raw.close();
    });
  }

  /** @internal */
  queryNow<T>(sql: string, params: readonly unknown[]): T[] {
    return rethrow(() => {
      const { stmt, map } = this.prepare(sql);
      const args = map(params);
      if (stmt.reader) return stmt.all(...args) as T[];
      stmt.run(...args);
      return [];
    });
  }

  /** @internal */
  executeNow(sql: string, params: readonly unknown[]): number {
    return rethrow(() => {
      const { stmt, map } = this.prepare(sql);
      const args = map(params);
      if (stmt.reader) return stmt.all(...args).length;
      return stmt.run(...args).changes;
    });
  }

  /** @internal */
  async runTransaction<T>(fn: (tx: Db) => Promise<T>, depth: number): Promise<T> {
    const savepoint = `sp_${depth}`;
    rethrow(() => this.raw.exec(depth === 0 ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${savepoint}`));
    const tx = new SqliteTx(this, depth + 1);
    try {
      const result = await fn(tx);
      tx.done = true;
      rethrow(() => this.raw.exec(depth === 0 ? 'COMMIT' : `RELEASE ${savepoint}`));
      return result;
    } catch (err) {
      tx.done = true;
      if (depth === 0) {
        if (this.raw.inTransaction) this.raw.exec('ROLLBACK');
      } else {
        this.raw.exec(`ROLLBACK TO ${savepoint}`);
        this.raw.exec(`RELEASE ${savepoint}`);
      }
      throw err;
    }
  }

  private prepare(sql: string): Prepared {
    if (this.closed) throw new Error('database is closed');
    let entry = this.cache.get(sql);
    if (!entry) {
      // Translate once per SQL text; remember which $n each ? takes.
      const probe = toPositional(sql, new Array(maxPlaceholder(sql)).fill(0).map((_, i) => i));
      const order = probe.params as number[];
      const stmt = this.raw.prepare(probe.sql) as Statement;
      const needed = order.length ? Math.max(...order) + 1 : 0;
      entry = {
        stmt,
        map: (p) => {
          if (p.length < needed) throw new RangeError(`SQL needs ${needed} parameters, ${p.length} given`);
          return order.map((i) => normaliseParam(p[i]));
        },
      };
      if (this.cache.size > 500) this.cache.clear();
      this.cache.set(sql, entry);
    }
    return entry;
  }
}

/** SQLite errors carry `code` (e.g. `SQLITE_CONSTRAINT_UNIQUE`). */
export class SqliteDbError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'SqliteDbError';
  }
}

/**
 * better-sqlite3 builds its errors with the SqliteError class registered when the native addon was first loaded.
 * Where several module registries share one process (jest workers running several files) that class can come
 * from another realm, so `instanceof Error` fails. Re-create the error here, keeping message and code.
 */
function rethrow<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const e = err as { message?: unknown; code?: unknown };
    if (err instanceof SqliteDbError || err instanceof RangeError) throw err;
    throw new SqliteDbError(String(e?.message ?? err), typeof e?.code === 'string' ? e.code : undefined);
  }
}

function maxPlaceholder(sql: string): number {
  let max = 0;
  for (const m of sql.matchAll(/\$(\d+)/g)) max = Math.max(max, Number(m[1]));
  return max;
}

/** The Db handed to a transaction callback: runs directly on the connection (the mutex is already held). */
class SqliteTx implements Db {
  readonly kind = 'sqlite' as const;
  done = false;

  constructor(
    private readonly db: SqliteDb,
    private readonly depth: number,
  ) {}

  private check(): void {
    if (this.done) throw new Error('transaction already finished');
  }

  async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    this.check();
    return this.db.queryNow<T>(sql, params);
  }

  async execute(sql: string, params: readonly unknown[] = []): Promise<number> {
    this.check();
    return this.db.executeNow(sql, params);
  }

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    this.check();
    return this.db.runTransaction(fn, this.depth);
  }

  async close(): Promise<void> {
    throw new Error('cannot close a database from inside a transaction');
  }
}
