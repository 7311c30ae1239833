/**
 * The bot process (`node dist/src/index.js`, SQLite file in a temp dir) is killed with SIGKILL in the middle of a
 * load of concurrent consultations and restarted on the same port. Afterwards:
 * - every conversation that was cut off continues (its last question answered again) or restarts cleanly
 *   ("opnieuw") and reaches its advice; nobody gets the error message;
 * - new conversations work;
 * - every record in the bot's database reaches the municipal API (run in this process, SQLite) exactly once,
 *   including items whose delivery was in flight when the process died (their lease expires, the restarted
 *   worker redelivers with the same idempotency key).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { hashToken, startMunicipalApi, type RunningMunicipalApi } from '../../src/api';
import { openDb } from '../../src/store';
import type { Db } from '../../src/store/db';
import { silentLogger } from '../../src/records/logger';
import {
  answerFor,
  cardKind,
  lastCard,
  runConsultation,
  startMockConnector,
  textsOf,
  TeamsConversation,
  type ConnectorActivity,
  type MockConnector,
} from '../support/mockConnector';
import { freePort } from '../support/ports';
import { botEnv, ensureBuilt, spawnBot, type BotProcess } from './botProcess';

const ERROR_TEXT = /er ging iets mis/i;

/** Answers whatever the last replies ask until the advice; restarts with "opnieuw" once when there is no question. */
async function finish(conv: TeamsConversation, variant: number, replies: ConnectorActivity[]): Promise<{ outcome: string; restarted: boolean; errors: number }> {
  let restarted = false;
  let errors = 0;
  for (let i = 0; i < 25; i++) {
    const card = lastCard(replies);
    const kind = cardKind(card);
    if (kind === 'advies') return { outcome: 'advice', restarted, errors };
    if (!card && /112/.test(textsOf(replies))) return { outcome: 'acute', restarted, errors };
    const a = card ? answerFor(card, variant) : null;
    let r;
    if (a) r = a.kind === 'answer' ? await conv.answer(card, a.answer) : await conv.submit(card, a.inputs);
    else {
      if (restarted) return { outcome: 'stuck', restarted, errors };
      restarted = true;
      r = await conv.say('opnieuw');
    }
    if (r.status !== 200) return { outcome: `http ${r.status}`, restarted, errors };
    if (ERROR_TEXT.test(textsOf(r.replies))) errors++;
    replies = r.replies;
  }
  return { outcome: 'stuck', restarted, errors };
}

describe('bot process killed (SIGKILL) mid-load and restarted', () => {
  let dir: string;
  let api: RunningMunicipalApi;
  let connector: MockConnector;
  let bot: BotProcess | null = null;
  let botDb: Db | null = null;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

  beforeAll(() => ensureBuilt(), 180_000);
  afterAll(async () => {
    agent.destroy();
    await bot?.kill('SIGKILL');
    await botDb?.close();
    await api?.close();
    await connector?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('conversations continue or restart cleanly; every record is delivered exactly once', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-kill-'));
    const token = randomBytes(24).toString('base64url');
    api = await startMunicipalApi({ port: 0, dbUrl: `sqlite:${path.join(dir, 'municipal.db')}`, logger: silentLogger, tokens: [{ name: 'bot', sha256: hashToken(token), scopes: ['consultations:write'] }] });
    connector = await startMockConnector();
    const port = await freePort();
    const env = botEnv({
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      MELDWIJZER_DB_URL: `sqlite:${path.join(dir, 'bot.db')}`,
      MUNICIPAL_API_URL: api.url,
      MUNICIPAL_API_TOKEN: token,
      PSEUDONYM_SECRET: 'kill-test-secret-0123456789abcdef0123456789',
      LOG_LEVEL: 'info',
    });
    bot = await spawnBot(env);
    const url = bot.url;
    expect(url).toBe(`http://127.0.0.1:${port}`);

    // Load: 12 concurrent users, each running consultations back to back, until the process dies.
    const interrupted: Array<{ conv: TeamsConversation; variant: number }> = [];
    let completed = 0;
    let variant = 0;
    let killed = false;
    const workers = Array.from({ length: 12 }, async () => {
      while (!killed) {
        const v = variant++;
        const conv = new TeamsConversation({ botUrl: url, connector, agent, timeoutMs: 10_000 });
        try {
          const run = await runConsultation(conv, v);
          if (run.outcome === 'advice' || run.outcome === 'acute') completed++;
          else interrupted.push({ conv, variant: v });
        } catch {
          interrupted.push({ conv, variant: v });
          return;
        }
      }
    });
    const deadline = Date.now() + 30_000;
    while (completed < 15 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(completed).toBeGreaterThanOrEqual(15);
    killed = true;
    const dying = bot;
    await dying.kill('SIGKILL');
    expect((await dying.exited).signal).toBe('SIGKILL');
    await Promise.all(workers);
    expect(interrupted.length).toBeGreaterThanOrEqual(6);

    // Restart on the same port with the same database.
    bot = await spawnBot(env);
    expect(bot.url).toBe(url);

    // Every cut-off conversation: answer its last question again (continue), or "opnieuw" (restart cleanly).
    // The first one restarts on purpose ("opnieuw" → the acute question again), the others continue.
    const results = await Promise.all(
      interrupted.map(async ({ conv, variant: v }, i) => {
        if (i === 0) {
          const r = await conv.say('opnieuw');
          expect(r.status).toBe(200);
          expect(cardKind(lastCard(r.replies))).toBe('acuut');
          return { ...(await finish(conv, v, r.replies)), restarted: true };
        }
        const replies = conv.lastReplies.length ? conv.lastReplies : (await conv.say('start')).replies;
        return finish(conv, v, replies);
      }),
    );
    expect(results.filter((r) => r.outcome !== 'advice' && r.outcome !== 'acute')).toEqual([]);
    expect(results.reduce((n, r) => n + r.errors, 0)).toBe(0);
    const continued = results.filter((r) => !r.restarted).length;
    expect(continued).toBeGreaterThan(0);

    // New conversations work on the restarted process.
    for (let i = 0; i < 3; i++) {
      const run = await runConsultation(new TeamsConversation({ botUrl: url, connector, agent }), 2000 + 2 * i);
      expect(run.outcome).toBe('advice');
    }

    // Exactly once: the municipal rows equal the bot's records (waits for leases of the killed worker to expire).
    botDb = await openDb({ url: `sqlite:${path.join(dir, 'bot.db')}` });
    const ids = async () => ({
      bot: (await botDb!.query<{ record_id: string }>('SELECT record_id FROM consultations ORDER BY record_id')).map((r) => r.record_id),
      municipal: (await api.db.query<{ record_id: string }>('SELECT record_id FROM municipal_consultations ORDER BY record_id')).map((r) => r.record_id),
      pending: Number((await botDb!.query<{ n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE status <> 'delivered'"))[0]!.n),
    });
    const waitUntil = Date.now() + 60_000;
    let state = await ids();
    while ((state.pending > 0 || state.municipal.length !== state.bot.length) && Date.now() < waitUntil) {
      await new Promise((r) => setTimeout(r, 250));
      state = await ids();
    }
    expect(state.pending).toBe(0);
    expect(state.bot.length).toBeGreaterThanOrEqual(completed + interrupted.length + 3);
    // A turn killed after its consultation was committed but before the dialog state was saved repeats the last
    // question; answering it again saves a second consultation for the same requester (a user-level duplicate, still
    // delivered exactly once each). Reported, not asserted: it depends on where the kill lands.
    const [dup] = await botDb.query<{ n: number }>('SELECT COUNT(*) AS n FROM (SELECT requester_id FROM consultations GROUP BY requester_id HAVING COUNT(*) > 1) d');
    process.stdout.write(`botKill: ${completed} completed before the kill, ${interrupted.length} cut off (${continued} continued, ${interrupted.length - continued} restarted), ${state.bot.length} records, ${Number(dup!.n)} requesters with a second record\n`);
    expect(state.municipal).toEqual(state.bot);
    const [rows] = await api.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM municipal_consultations');
    expect(Number(rows!.n)).toBe(state.bot.length);

    // Graceful stop of the restarted process.
    const stopping = bot;
    bot = null;
    await stopping.kill('SIGTERM');
    expect((await stopping.exited).code).toBe(0);
  }, 150_000);
});
