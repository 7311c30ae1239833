/**
 * Port of the typed query layer. One interface for SQLite (embedded default, better-sqlite3)
 * and PostgreSQL (pg). SQL uses `$1, $2, …` placeholders in both dialects; the SQLite adapter
 * translates them. Implementations live beside this file (sqlite.ts, postgres.ts).
 */
export type DbKind = 'sqlite' | 'postgres';

export interface Db {
  readonly kind: DbKind;
  /** Rows of a SELECT (or of a statement with RETURNING). */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** A statement without result rows; resolves to the number of rows changed. */
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Runs fn inside one transaction (serialised per connection for SQLite); rolls back when fn throws. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DbConfig {
  /** `sqlite:<path>` (default `sqlite:data/meldwijzer.db`, `sqlite::memory:` for tests) or `postgres://…`. */
  url: string;
}
