/**
 * PostgreSQL restarted (`pg_ctl restart -m fast`: every connection is terminated) while the outbox delivers to a
 * PostgreSQL-backed municipal API — first with the bot on SQLite, then with the bot's own state, consultations and
 * outbox on the same PostgreSQL cluster while users are mid-conversation. Afterwards every record the bot saved is
 * in the municipal database exactly once and the outbox is empty.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createMeldwijzer, type Meldwijzer } from '../../src/app';
import { loadConfig } from '../../src/config';
import { hashToken, startMunicipalApi, type RunningMunicipalApi } from '../../src/api';
import { memoryLogger, silentLogger } from '../../src/records/logger';
import { createMunicipalClient } from '../../src/records/municipalClient';
import { startOutboxWorker, type OutboxWorker } from '../../src/records/outbox';
import { newConsultation } from '../support/fixtures';
import { pgDescribe, startPostgres, type PgCluster } from '../support/postgres';
import { runConsultation, startMockConnector, TeamsConversation, type ConsultationRun, type MockConnector } from '../support/mockConnector';

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

async function restartPostgres(cluster: PgCluster): Promise<number> {
  const c = new Client({ connectionString: cluster.url });
  await c.connect();
  const dataDir = (await c.query<{ data_directory: string }>('SHOW data_directory')).rows[0]!.data_directory;
  await c.end();
  const asPostgres = typeof process.getuid === 'function' && process.getuid() === 0;
  const args = ['-D', dataDir, '-l', path.join(path.dirname(dataDir), 'log'), '-m', 'fast', '-w', 'restart'];
  const started = Date.now();
  // Blocks this process meanwhile; the worker, the bot and the API resume on pools whose connections were terminated.
  if (asPostgres) execFileSync('runuser', ['-u', 'postgres', '--', path.join(BIN, 'pg_ctl'), ...args], { stdio: 'ignore', timeout: 60_000 });
  else execFileSync(path.join(BIN, 'pg_ctl'), args, { stdio: 'ignore', timeout: 60_000 });
  return Date.now() - started;
}

interface Stack {
  api: RunningMunicipalApi;
  connector: MockConnector;
  app: Meldwijzer;
  url: string;
  worker: OutboxWorker | null;
  /** Starts the outbox worker (short client timeout, small batches, short lease). */
  startWorker(): OutboxWorker;
  agent: http.Agent;
  close(): Promise<void>;
}

async function startStack(cluster: PgCluster, botOnPostgres: boolean): Promise<Stack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-pgrestart-'));
  const token = randomBytes(24).toString('base64url');
  const api = await startMunicipalApi({
    port: 0,
    dbUrl: await cluster.createDatabase('municipal'),
    logger: silentLogger,
    tokens: [{ name: 'bot', sha256: hashToken(token), scopes: ['consultations:write'] }],
  });
  const connector = await startMockConnector();
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    MELDWIJZER_DB_URL: botOnPostgres ? await cluster.createDatabase('bot') : `sqlite:${path.join(dir, 'bot.db')}`,
    MUNICIPAL_API_URL: api.url,
    MUNICIPAL_API_TOKEN: token,
    PSEUDONYM_SECRET: 'pg-restart-secret-0123456789abcdef0123456789',
    LOG_LEVEL: 'silent',
  });
  const logger = memoryLogger();
  const app = await createMeldwijzer(config, { logger, outbox: false, env: {} });
  const url = await app.listen();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const stack: Stack = {
    api, connector, app, url, agent,
    worker: null,
    startWorker() {
      stack.worker = startOutboxWorker({
        db: app.db,
        client: createMunicipalClient({ baseUrl: api.url, token, timeoutMs: 1_000 }),
        logger,
        baseDelayMs: 20,
        maxDelayMs: 300,
        pollMs: 20,
        leaseMs: 2_000,
        batchSize: 5,
      });
      return stack.worker;
    },
    async close() {
      agent.destroy();
      await stack.worker?.stop();
      await app.close();
      await api.close();
      await connector.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** Retries a query across the restart window. */
async function settled<T>(fn: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function expectExactlyOnce(s: Stack): Promise<number> {
  const stats = await settled(() => s.worker!.drain({ timeoutMs: 30_000 }));
  expect(stats).toMatchObject({ pending: 0, failed: 0 });
  const bot = (await settled(() => s.app.db.query<{ record_id: string }>('SELECT record_id FROM consultations ORDER BY record_id'))).map((r) => r.record_id);
  const municipal = (await settled(() => s.api.db.query<{ record_id: string }>('SELECT record_id FROM municipal_consultations ORDER BY record_id'))).map((r) => r.record_id);
  expect(municipal).toEqual(bot);
  const [n] = await s.api.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM municipal_consultations');
  expect(Number(n!.n)).toBe(bot.length);
  return bot.length;
}

pgDescribe()('PostgreSQL restart during delivery', () => {
  let cluster: PgCluster;
  let s: Stack | null = null;
  const quiet = [jest.spyOn(console, 'error').mockImplementation(() => undefined), jest.spyOn(console, 'warn').mockImplementation(() => undefined)];

  beforeAll(async () => {
    cluster = await startPostgres();
  }, 60_000);
  afterEach(async () => {
    await s?.close().catch(() => undefined);
    s = null;
  });
  afterAll(() => {
    cluster?.stop();
    for (const q of quiet) q.mockRestore();
  });

  async function deliveredCount(st: Stack): Promise<number> {
    return Number((await st.app.db.query<{ n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE status = 'delivered'"))[0]!.n);
  }

  /** Starts delivery, restarts PostgreSQL once `after` items are through, returns how many items needed a retry. */
  async function deliverAcrossRestart(st: Stack, after: number): Promise<{ restartMs: number; deliveredBefore: number }> {
    st.startWorker();
    const deadline = Date.now() + 20_000;
    while ((await deliveredCount(st)) < after && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const deliveredBefore = await deliveredCount(st);
    const restartMs = await restartPostgres(cluster);
    return { restartMs, deliveredBefore };
  }

  test('municipal API on PostgreSQL, bot on SQLite: restart mid-delivery → exactly once', async () => {
    const st = (s = await startStack(cluster, false));
    for (let i = 0; i < 5; i++) expect((await runConsultation(new TeamsConversation({ botUrl: st.url, connector: st.connector, agent: st.agent }), 2 * i)).outcome).toBe('advice');
    for (let i = 0; i < 395; i++) await st.app.repo.create(newConsultation({ requesterId: `29:user-${i}` }));
    const { deliveredBefore } = await deliverAcrossRestart(st, 30);
    expect(deliveredBefore).toBeLessThan(400);
    expect(await expectExactlyOnce(st)).toBe(400);
  }, 90_000);

  test('bot state, consultations and outbox on the same PostgreSQL too, users mid-conversation: restart → exactly once', async () => {
    const st = (s = await startStack(cluster, true));
    for (let i = 0; i < 200; i++) await st.app.repo.create(newConsultation({ requesterId: `29:user-${i}` }));
    // Users keep talking across the restart.
    let stop = false;
    const runs: ConsultationRun[] = [];
    const users = Array.from({ length: 6 }, async (_, u) => {
      for (let k = 0; !stop && k < 50; k++) {
        try {
          runs.push(await runConsultation(new TeamsConversation({ botUrl: st.url, connector: st.connector, agent: st.agent, timeoutMs: 15_000 }), u * 100 + k));
        } catch {
          /* a turn cut off by the restart: the user just starts a new conversation */
        }
      }
    });
    await new Promise((r) => setTimeout(r, 300));
    const { deliveredBefore } = await deliverAcrossRestart(st, 20);
    expect(deliveredBefore).toBeLessThan(200);
    await new Promise((r) => setTimeout(r, 1_000));
    stop = true;
    await Promise.all(users);
    // After the restart conversations work again.
    const after = await settled(async () => {
      const run = await runConsultation(new TeamsConversation({ botUrl: st.url, connector: st.connector, agent: st.agent }), 2);
      if (run.outcome !== 'advice') throw new Error(run.outcome);
      return run;
    });
    expect(after.nummer).toMatch(/^MW-/);
    expect(runs.filter((r) => r.outcome === 'advice').length).toBeGreaterThan(0);
    const total = await expectExactlyOnce(st);
    expect(total).toBeGreaterThanOrEqual(201);
  }, 120_000);
});
