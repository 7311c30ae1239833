import { migrate, openDb, redactUrl } from '../../src/store';
import { toPositional } from '../../src/store/sql';
import { sqlitePath } from '../../src/store/sqlite';
import { forEachDb } from '../support/dbs';

describe('placeholder translation', () => {
  it('maps $n to ? in order of appearance, reusing parameters', () => {
    expect(toPositional('SELECT * FROM t WHERE a = $2 AND b = $1 OR c = $2', ['x', 'y'])).toEqual({
      sql: 'SELECT * FROM t WHERE a = ? AND b = ? OR c = ?',
      params: ['y', 'x', 'y'],
    });
  });
  it('leaves literals, quoted identifiers and comments alone', () => {
    const r = toPositional(`SELECT '$1 it''s', "$2" FROM t -- $3\nWHERE a = $1 /* $9 */`, [1]);
    expect(r.sql).toBe(`SELECT '$1 it''s', "$2" FROM t -- $3\nWHERE a = ? /* $9 */`);
    expect(r.params).toEqual([1]);
  });
  it('rejects a placeholder without parameter', () => {
    expect(() => toPositional('SELECT $3', [1])).toThrow(RangeError);
  });
  it('parses sqlite urls', () => {
    expect(sqlitePath('sqlite::memory:')).toBe(':memory:');
    expect(sqlitePath('sqlite:data/x.db')).toBe('data/x.db');
    expect(sqlitePath('sqlite:///tmp/x.db')).toBe('/tmp/x.db');
    expect(redactUrl('postgres://u:secret@h:5432/db')).toBe('postgres://u:***@h:5432/db');
  });
  it('refuses unknown urls', async () => {
    await expect(openDb({ url: 'mysql://x' })).rejects.toThrow(/unsupported/);
  });
});

forEachDb(
  'typed query layer',
  (f) => {
    it('creates the sqlite folder, migrates idempotently and records the migrations', async () => {
      const db = await f.fresh();
      const first = await migrate(db);
      expect(first.length).toBeGreaterThanOrEqual(3);
      expect(await migrate(db)).toEqual([]);
      const rows = await db.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
      expect(rows.map((r) => r.id)).toEqual(first);
    });

    it('queries, executes, returns rows and numbers consistently', async () => {
      const db = await f.fresh();
      await db.execute('CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER NOT NULL, big BIGINT, flag INTEGER, doc TEXT)');
      expect(await db.execute('INSERT INTO t (id, n, big, flag, doc) VALUES ($1, $2, $3, $4, $5)', ['a', 1, 9007199254740991, true, { x: 1 }])).toBe(1);
      await db.execute('INSERT INTO t (id, n, big, flag, doc) VALUES ($1, $2, $3, $4, $5)', ['b', 2, 5, false, null]);
      const rows = await db.query<{ id: string; n: number; big: number; flag: number; doc: string | null }>('SELECT * FROM t ORDER BY id');
      expect(rows).toEqual([
        { id: 'a', n: 1, big: 9007199254740991, flag: 1, doc: '{"x":1}' },
        { id: 'b', n: 2, big: 5, flag: 0, doc: null },
      ]);
      const [count] = await db.query<{ c: number }>('SELECT COUNT(*) AS c FROM t WHERE n >= $1', [1]);
      expect(count.c).toBe(2);
      const returned = await db.query<{ id: string }>('UPDATE t SET n = n + 1 WHERE id = $1 RETURNING id', ['a']);
      expect(returned).toEqual([{ id: 'a' }]);
      expect(await db.execute('DELETE FROM t WHERE id = $1', ['zzz'])).toBe(0);
    });

    it('rolls back a failed transaction and commits a good one', async () => {
      const db = await f.fresh();
      await db.execute('CREATE TABLE t (id TEXT PRIMARY KEY)');
      await expect(
        db.transaction(async (tx) => {
          await tx.execute('INSERT INTO t (id) VALUES ($1)', ['x']);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await db.query('SELECT * FROM t')).toEqual([]);
      await db.transaction(async (tx) => {
        await tx.execute('INSERT INTO t (id) VALUES ($1)', ['y']);
        await expect(
          tx.transaction(async (inner) => {
            await inner.execute('INSERT INTO t (id) VALUES ($1)', ['z']);
            throw new Error('inner');
          }),
        ).rejects.toThrow('inner');
      });
      expect(await db.query('SELECT id FROM t')).toEqual([{ id: 'y' }]);
    });

    it('serialises concurrent read-modify-write transactions (no lost updates)', async () => {
      const db = await f.fresh();
      await db.execute('CREATE TABLE c (id TEXT PRIMARY KEY, n INTEGER NOT NULL)');
      await db.execute('INSERT INTO c (id, n) VALUES ($1, $2)', ['k', 0]);
      const lock = db.kind === 'postgres' ? ' FOR UPDATE' : '';
      await Promise.all(
        Array.from({ length: 20 }, () =>
          db.transaction(async (tx) => {
            const [row] = await tx.query<{ n: number }>(`SELECT n FROM c WHERE id = $1${lock}`, ['k']);
            await new Promise((r) => setTimeout(r, 1));
            await tx.execute('UPDATE c SET n = $1 WHERE id = $2', [row.n + 1, 'k']);
          }),
        ),
      );
      const [row] = await db.query<{ n: number }>('SELECT n FROM c WHERE id = $1', ['k']);
      expect(row.n).toBe(20);
    });

    it('a statement outside a running sqlite transaction is not swallowed by its rollback', async () => {
      const db = await f.fresh();
      await db.execute('CREATE TABLE t (id TEXT PRIMARY KEY)');
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const tx = db
        .transaction(async (t) => {
          await t.execute('INSERT INTO t (id) VALUES ($1)', ['in-tx']);
          await gate;
          throw new Error('rollback');
        })
        .catch(() => 'rolled back');
      const outside = db.execute('INSERT INTO t (id) VALUES ($1)', ['outside']);
      release();
      expect(await tx).toBe('rolled back');
      await outside;
      expect(await db.query('SELECT id FROM t')).toEqual([{ id: 'outside' }]);
    });
  },
  { sqliteFile: true },
);
