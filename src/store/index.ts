/**
 * The typed query layer: `openDb` picks the adapter by url, `migrate` brings the bot-side schema up to date.
 * `sqlite::memory:` / `sqlite:<path>` → better-sqlite3; `postgres://…` / `postgresql://…` → pg Pool.
 */
import type { Db, DbConfig } from './db';
import { BOT_MIGRATIONS, runMigrations, type Migration } from './migrate';
import { openPostgres } from './postgres';
import { openSqlite } from './sqlite';

export type { Db, DbConfig, DbKind } from './db';
export { runMigrations, BOT_MIGRATIONS, type Migration } from './migrate';
export { isUniqueViolation } from './sql';

export const DEFAULT_DB_URL = 'sqlite:data/meldwijzer.db';

export async function openDb(config: DbConfig): Promise<Db> {
  const url = (config.url || DEFAULT_DB_URL).trim();
  if (url.startsWith('sqlite:')) return openSqlite(url);
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const db = openPostgres(url);
    try {
      await db.query('SELECT 1');
    } catch (err) {
      await db.close().catch(() => undefined);
      throw err;
    }
    return db;
  }
  throw new Error(`unsupported database url (expected sqlite:<path>, sqlite::memory: or postgres://…): ${redactUrl(url)}`);
}

/** Applies the bot-side migrations (or the given set). Returns the ids applied now. */
export function migrate(db: Db, migrations: readonly Migration[] = BOT_MIGRATIONS): Promise<string[]> {
  return runMigrations(db, migrations);
}

/** A url without its password, for logs and errors. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]*)@/, '//$1:***@');
}
