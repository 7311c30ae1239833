/** Runs one suite against SQLite and PostgreSQL. */
import { openDb, migrate } from '../../src/store';
import type { Db } from '../../src/store/db';
import { pgDescribe, startPostgres, type PgCluster } from './postgres';

export interface DbFactory {
  /** A fresh, empty database (not migrated). */
  fresh(): Promise<Db>;
  /** A second handle on the database last made by fresh() (another "instance"). */
  again(): Promise<Db>;
}

/**
 * `forEachDb('repository', (f) => { ... tests using await f.fresh() ... })` defines the suite twice:
 * `[sqlite]` on in-memory/temp-file SQLite and `[postgres]` on a throwaway cluster.
 */
export function forEachDb(name: string, suite: (factory: DbFactory) => void, opts: { sqliteFile?: boolean } = {}): void {
  describe(`${name} [sqlite]`, () => {
    const opened: Db[] = [];
    let lastUrl = '';
    let n = 0;
    const dir = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'mw-sqlite-')) as string;
    afterAll(async () => {
      for (const db of opened) await db.close().catch(() => undefined);
      require('node:fs').rmSync(dir, { recursive: true, force: true });
    });
    suite({
      async fresh() {
        lastUrl = opts.sqliteFile ? `sqlite:${dir}/db${++n}.db` : 'sqlite::memory:';
        const db = await openDb({ url: lastUrl });
        opened.push(db);
        return db;
      },
      async again() {
        if (!opts.sqliteFile) throw new Error('again() needs sqliteFile: true');
        const db = await openDb({ url: lastUrl });
        opened.push(db);
        return db;
      },
    });
  });

  pgDescribe()(`${name} [postgres]`, () => {
    let cluster: PgCluster | undefined;
    const opened: Db[] = [];
    let lastUrl = '';
    beforeAll(async () => {
      cluster = await startPostgres();
    }, 60_000);
    afterAll(async () => {
      for (const db of opened) await db.close().catch(() => undefined);
      cluster?.stop();
    });
    suite({
      async fresh() {
        if (!cluster) throw new Error('PostgreSQL did not start');
        lastUrl = await cluster.createDatabase(name.replace(/\W+/g, '_'));
        const db = await openDb({ url: lastUrl });
        opened.push(db);
        return db;
      },
      async again() {
        const db = await openDb({ url: lastUrl });
        opened.push(db);
        return db;
      },
    });
  });
}

export async function freshMigrated(factory: DbFactory): Promise<Db> {
  const db = await factory.fresh();
  await migrate(db);
  return db;
}
