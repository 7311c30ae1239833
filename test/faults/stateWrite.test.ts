/**
 * The dialog state store fails to write at the end of a turn (the database hiccups, or the process dies after the
 * turn's work but before its state is saved — the same window SIGKILL can hit). The user is told something went
 * wrong and tries again.
 * - Mid-dialog: nothing was saved, the retry continues the dialog; no consultation, no error afterwards.
 * - On the last turn: the consultation (and its outbox item) is committed before the state write fails, so the
 *   dialog still stands at the last question; the retry must find the consultation of the same dialog run instead
 *   of saving a second one (the save is keyed on the run: consultations.client_ref).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import type { Storage, StoreItems } from 'botbuilder';
import { createMeldwijzer, type Meldwijzer } from '../../src/app';
import { loadConfig } from '../../src/config';
import { memoryLogger } from '../../src/records/logger';
import { openDb, migrate } from '../../src/store';
import { createBotStorage } from '../../src/store/botStorage';
import type { Db } from '../../src/store/db';
import { answerFor, cardKind, lastCard, startMockConnector, TeamsConversation, textsOf, type MockConnector, type TurnResult } from '../support/mockConnector';

const ERROR_TEXT = /er ging iets mis/i;

describe('dialog state write fails at the end of a turn', () => {
  let dir: string;
  let db: Db;
  let app: Meldwijzer;
  let url: string;
  let connector: MockConnector;
  let failWrites = 0;
  const agent = new http.Agent({ keepAlive: true });
  const logger = memoryLogger();

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-statewrite-'));
    const dbUrl = `sqlite:${path.join(dir, 'bot.db')}`;
    db = await openDb({ url: dbUrl });
    await migrate(db);
    const inner = createBotStorage(db);
    const storage: Storage = {
      read: (keys: string[]) => inner.read(keys),
      write: async (changes: StoreItems) => {
        if (failWrites > 0) {
          failWrites--;
          throw new Error('state store unavailable');
        }
        return inner.write(changes);
      },
      delete: (keys: string[]) => inner.delete(keys),
    };
    connector = await startMockConnector();
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      MELDWIJZER_DB_URL: dbUrl,
      MUNICIPAL_API_URL: 'http://127.0.0.1:9',
      MUNICIPAL_API_TOKEN: 'unused',
      PSEUDONYM_SECRET: 'state-write-secret-0123456789abcdef01234567',
      LOG_LEVEL: 'silent',
    });
    app = await createMeldwijzer(config, { logger, storage, outbox: false, env: {} });
    url = await app.listen();
  });

  afterAll(async () => {
    agent.destroy();
    await app?.close();
    await db?.close();
    await connector?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const consultations = async () => Number((await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM consultations'))[0]!.n);

  /** Answers questions until the card of kind `stopAt` is shown. */
  async function walkTo(conv: TeamsConversation, variant: number, stopAt: string): Promise<TurnResult> {
    let r = await conv.say('start');
    for (let i = 0; i < 15 && cardKind(lastCard(r.replies)) !== stopAt; i++) {
      const card = lastCard(r.replies)!;
      const a = answerFor(card, variant)!;
      r = a.kind === 'answer' ? await conv.answer(card, a.answer) : await conv.submit(card, a.inputs);
    }
    expect(cardKind(lastCard(r.replies))).toBe(stopAt);
    return r;
  }

  async function answer(conv: TeamsConversation, r: TurnResult, variant: number): Promise<TurnResult> {
    const card = lastCard(r.replies)!;
    const a = answerFor(card, variant)!;
    return a.kind === 'answer' ? conv.answer(card, a.answer) : conv.submit(card, a.inputs);
  }

  test('mid-dialog: the user is told, answers again and continues; nothing saved twice', async () => {
    const before = await consultations();
    const conv = new TeamsConversation({ botUrl: url, connector, agent });
    const atSector = await walkTo(conv, 0, 'sector');
    failWrites = 1;
    const failed = await answer(conv, atSector, 0);
    expect(failed.status).toBe(200);
    expect(textsOf(failed.replies)).toMatch(ERROR_TEXT);
    // The same card again (what the user still sees): the dialog was not advanced, so it is accepted now.
    const retried = await answer(conv, atSector, 0);
    expect(textsOf(retried.replies)).not.toMatch(ERROR_TEXT);
    expect(cardKind(lastCard(retried.replies))).toBe('doelgroep');
    expect(await consultations()).toBe(before);
  });

  test('last turn: retrying after the failed state write does not save the consultation twice', async () => {
    const before = await consultations();
    const conv = new TeamsConversation({ botUrl: url, connector, agent });
    const atStappen = await walkTo(conv, 0, 'stappen');
    failWrites = 1;
    const failed = await answer(conv, atStappen, 0);
    expect(cardKind(lastCard(failed.replies))).toBe('advies');
    expect(textsOf(failed.replies)).toMatch(ERROR_TEXT);
    expect(await consultations()).toBe(before + 1);
    // "Probeer het opnieuw": the user presses the last card's button again.
    const retried = await answer(conv, atStappen, 0);
    expect(retried.status).toBe(200);
    expect(await consultations()).toBe(before + 1);
  });
});
