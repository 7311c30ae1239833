/**
 * PostgreSQL adapter of the Db port (pg Pool). Transactions run on one checked-out client.
 * BIGINT (int8) and NUMERIC results are returned as JS numbers so both dialects give the same row shapes
 * (COUNT(*) is int8 in PostgreSQL).
 */
import { Pool, types, type PoolClient, type PoolConfig } from 'pg';
import type { Db } from './db';
import { normaliseParam } from './sql';

const INT8 = 20;
const NUMERIC = 1700;

const typeOverrides = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => (value === null ? null : Number(value));
    return types.getTypeParser(oid, format as 'text');
  },
};

export interface PostgresOptions {
  /** Pool size. Default 10. */
  max?: number;
  /** Extra pg pool settings. */
  pool?: Omit<PoolConfig, 'connectionString' | 'types'>;
}

export function openPostgres(url: string, options: PostgresOptions = {}): Db {
  const pool = new Pool({
    connectionString: url,
    max: options.max ?? 10,
    idleTimeoutMillis: 10_000,
    ...options.pool,
    types: typeOverrides as PoolConfig['types'],
  });
  // An idle client that errors (server restart) must not crash the process.
  pool.on('error', () => undefined);
  // pg-pool only listens for client errors while a client is idle. A server restart can terminate a connection in
  // the gap where the pool has handed the client out but the borrower has not attached a listener yet (the
  // ErrorResponse can arrive in the same socket chunk as the ReadyForQuery that released it), and an 'error' event
  // without a listener crashes the process (seen in CI: test/faults/postgresRestart.test.ts). Every client gets
  // a permanent listener when it is created; a broken client is not queryable, so its next statement fails and
  // the pool discards it on release.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return new PostgresDb(pool);
}

function normalise(params: readonly unknown[]): unknown[] {
  return params.map(normaliseParam);
}

class PostgresDb implements Db {
  readonly kind = 'postgres' as const;
  private closed = false;

  constructor(private readonly pool: Pool) {}

  async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    const result = await this.pool.query(sql, normalise(params));
    return result.rows as T[];
  }

  async execute(sql: string, params: readonly unknown[] = []): Promise<number> {
    const result = await this.pool.query(sql, normalise(params));
    return result.rowCount ?? 0;
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A connection error between two statements (server restart) is absorbed by the listener added in
    // openPostgres: the next statement fails, and the client is discarded on release.
    let broken = false;
    try {
      await client.query('BEGIN');
      const tx = new PostgresTx(client, 1);
      try {
        const result = await fn(tx);
        tx.done = true;
        await client.query('COMMIT');
        return result;
      } catch (err) {
        tx.done = true;
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        throw err;
      }
    } finally {
      client.release(broken ? true : undefined);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

class PostgresTx implements Db {
  readonly kind = 'postgres' as const;
  done = false;
  /** All statements of the transaction run on this one checked-out client (pg queues them in call order). */
  constructor(
    private readonly client: PoolClient,
    private readonly depth: number,
  ) {}

  private check(): void {
    if (this.done) throw new Error('transaction already finished');
  }

  async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    this.check();
    const result = await this.client.query(sql, normalise(params));
    return result.rows as T[];
  }

  async execute(sql: string, params: readonly unknown[] = []): Promise<number> {
    this.check();
    const result = await this.client.query(sql, normalise(params));
    return result.rowCount ?? 0;
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    this.check();
    const sp = `sp_${this.depth}`;
    await this.client.query(`SAVEPOINT ${sp}`);
    const tx = new PostgresTx(this.client, this.depth + 1);
    try {
      const result = await fn(tx);
      tx.done = true;
      await this.client.query(`RELEASE SAVEPOINT ${sp}`);
      return result;
    } catch (err) {
      tx.done = true;
      await this.client.query(`ROLLBACK TO SAVEPOINT ${sp}`);
      await this.client.query(`RELEASE SAVEPOINT ${sp}`);
      throw err;
    }
  }

  async close(): Promise<void> {
    throw new Error('cannot close a database from inside a transaction');
  }
}
