/**
 * PostgreSQL terminates connections (server restart, failover, `pg_terminate_backend`) while the bot is busy.
 * Whatever state a pooled client is in — idle, mid-query, between two statements of a transaction, or just handed
 * out by the pool — the process must survive: the affected statement fails with an error the caller handles, and
 * the next statement runs on a fresh connection.
 */
import { Client } from 'pg';
import { openDb } from '../../src/store';
import { openPostgres } from '../../src/store/postgres';
import type { Db } from '../../src/store/db';
import { pgDescribe, startPostgres, type PgCluster } from '../support/postgres';

async function terminateOthers(adminUrl: string, database: string): Promise<number> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const rows = await admin.query<{ ok: boolean }>(
      'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [database],
    );
    return rows.rows.length;
  } finally {
    await admin.end();
  }
}

pgDescribe()('PostgreSQL connection loss', () => {
  let cluster: PgCluster;
  let db: Db;
  let url: string;
  let database: string;
  const unhandled: unknown[] = [];
  const onUncaught = (err: unknown) => unhandled.push(err);

  beforeAll(async () => {
    cluster = await startPostgres();
    url = await cluster.createDatabase('connloss');
    database = new URL(url).pathname.slice(1);
    db = await openDb({ url });
    await db.execute('CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)');
    await db.execute('INSERT INTO counter (id, n) VALUES (1, 0)');
    process.on('uncaughtException', onUncaught);
  }, 60_000);

  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    await db?.close();
    cluster?.stop();
  });

  it('a backend killed between two statements of a transaction fails that transaction, not the process', async () => {
    const attempt = db.transaction(async (tx) => {
      await tx.execute('UPDATE counter SET n = n + 1 WHERE id = 1');
      expect(await terminateOthers(cluster.url, database)).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 200)); // the termination notice arrives while no statement runs
      await tx.execute('UPDATE counter SET n = n + 1 WHERE id = 1');
    });
    await expect(attempt).rejects.toThrow();
    // Nothing of the failed transaction was committed, and the database is usable again straight away.
    expect((await db.query<{ n: number }>('SELECT n FROM counter WHERE id = 1'))[0]!.n).toBe(0);
    expect(unhandled).toEqual([]);
  });

  it('a connection that dies in the same network read that handed it to the next borrower does not crash the process', async () => {
    // The server ends idle sessions after 20 ms. With one pooled connection, a plain query runs while a transaction
    // waits for the connection. The event loop is blocked until the server has sent the query's ReadyForQuery AND
    // the FATAL that ends the session, so both arrive in one read: ReadyForQuery releases the client to the waiting
    // transaction, and the FATAL comes before that borrower has run a line of code.
    const admin = new Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query(`ALTER DATABASE ${database} SET idle_session_timeout = '20ms'`);
    await admin.end();
    const single = openPostgres(url, { max: 1 });
    try {
      const first = single.query('SELECT pg_sleep(0.05)');
      const second = single.transaction((tx) => tx.query('SELECT n FROM counter WHERE id = 1'));
      const settled = Promise.allSettled([first, second]);
      await new Promise((r) => setTimeout(r, 10)); // the query is on the wire, the transaction waits for the client
      const until = Date.now() + 400;
      while (Date.now() < until) {
        /* busy: let the server's messages pile up in the socket buffer */
      }
      const [a, b] = await settled;
      expect(a.status).toBe('fulfilled');
      expect(b.status).toBe('rejected'); // the transaction got a dead connection and says so
      expect(unhandled).toEqual([]);
    } finally {
      await single.close();
      const reset = new Client({ connectionString: cluster.url });
      await reset.connect();
      await reset.query(`ALTER DATABASE ${database} RESET idle_session_timeout`);
      await reset.end();
    }
  });

  it('repeated terminations under concurrent queries and transactions: no crash, every call settles, work resumes', async () => {
    let stop = false;
    let ok = 0;
    let failed = 0;
    const worker = async () => {
      while (!stop) {
        try {
          if (Math.random() < 0.5) await db.query('SELECT n FROM counter WHERE id = 1');
          else
            await db.transaction(async (tx) => {
              await tx.query('SELECT n FROM counter WHERE id = 1 FOR UPDATE');
              await tx.execute('UPDATE counter SET n = n + 1 WHERE id = 1');
            });
          ok++;
        } catch {
          failed++;
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    for (let i = 0; i < 25; i++) {
      await new Promise((r) => setTimeout(r, 20));
      await terminateOthers(cluster.url, database);
    }
    stop = true;
    await Promise.all(workers);
    expect(unhandled).toEqual([]);
    expect(failed).toBeGreaterThan(0); // the terminations did hit running work
    expect(ok).toBeGreaterThan(failed);
    const before = (await db.query<{ n: number }>('SELECT n FROM counter WHERE id = 1'))[0]!.n;
    await db.transaction((tx) => tx.execute('UPDATE counter SET n = n + 1 WHERE id = 1'));
    expect((await db.query<{ n: number }>('SELECT n FROM counter WHERE id = 1'))[0]!.n).toBe(before + 1);
  }, 60_000);
});
