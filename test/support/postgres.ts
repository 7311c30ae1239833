/**
 * Throwaway PostgreSQL 15 cluster for tests: initdb + pg_ctl in a temp dir, on a free loopback port, trust auth,
 * fsync off. initdb refuses root, so as root the binaries run as the `postgres` user (runuser).
 * Missing binaries: skipped with a visible message locally, a failure when `CI` is set.
 * `TEST_PG_URL=postgres://user@host:port/db` uses an existing server instead (e.g. a CI service container): each
 * suite then creates its own databases there.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PgCluster {
  /** Connection url of the `postgres` database. */
  url: string;
  port: number;
  /** Creates a fresh empty database and returns its url. */
  createDatabase(prefix?: string): Promise<string>;
  stop(): void;
}

export function postgresAvailable(): boolean {
  if (process.env.TEST_PG_URL) return true;
  return fs.existsSync(path.join(BIN, 'initdb')) && fs.existsSync(path.join(BIN, 'pg_ctl'));
}

/** For `describe` blocks: `(pgAvailable() ? describe : describe.skip)`. Throws in CI when PostgreSQL is missing. */
export function pgDescribe(): jest.Describe {
  if (postgresAvailable()) return describe;
  const message = `PostgreSQL binaries not found in ${BIN}: PostgreSQL test suites are SKIPPED (apt-get install postgresql)`;
  if (process.env.CI) throw new Error(message + ' — CI requires them');
  // eslint-disable-next-line no-console
  console.warn(message);
  return describe.skip;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function run(cmd: string, args: string[], asPostgres: boolean): void {
  const full = asPostgres ? ['-u', 'postgres', '--', cmd, ...args] : args;
  const bin = asPostgres ? 'runuser' : cmd;
  execFileSync(bin, full, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
}

let counter = 0;

function databaseName(prefix: string): string {
  return `${prefix}_${process.pid}_${++counter}_${Date.now().toString(36)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 60);
}

async function createDb(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}

function externalCluster(adminUrl: string): PgCluster {
  const u = new URL(adminUrl);
  return {
    url: adminUrl,
    port: Number(u.port || 5432),
    async createDatabase(prefix = 't') {
      const name = databaseName(prefix);
      await createDb(adminUrl, name);
      const target = new URL(adminUrl);
      target.pathname = `/${name}`;
      return target.toString();
    },
    stop() {
      // Databases are left for the CI container to discard (dropping needs every pool closed first).
    },
  };
}

export async function startPostgres(): Promise<PgCluster> {
  if (process.env.TEST_PG_URL) return externalCluster(process.env.TEST_PG_URL);
  const asPostgres = typeof process.getuid === 'function' && process.getuid() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-pg-'));
  const data = path.join(dir, 'data');
  if (asPostgres) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  try {
    run(path.join(BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C'], asPostgres);
    run(
      path.join(BIN, 'pg_ctl'),
      [
        '-D',
        data,
        '-l',
        path.join(dir, 'log'),
        '-o',
        `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100`,
        '-w',
        'start',
      ],
      asPostgres,
    );
  } catch (err) {
    const log = fs.existsSync(path.join(dir, 'log')) ? fs.readFileSync(path.join(dir, 'log'), 'utf8') : '';
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start PostgreSQL: ${(err as Error).message}\n${log}`);
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    url,
    port,
    async createDatabase(prefix = 't') {
      const name = databaseName(prefix);
      await createDb(url, name);
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run(path.join(BIN, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], asPostgres);
      } catch {
        /* already gone */
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
